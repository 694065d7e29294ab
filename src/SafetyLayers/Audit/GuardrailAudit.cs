using System.Diagnostics;

namespace SafetyLayers;

/// <summary>
/// How the guard layers (input guard, output filter, tool permissions) report their verdicts: to the audit trail of the
/// call in progress, to the <c>SafetyLayers</c> metrics and to the current guard span.
/// </summary>
/// <remarks>
/// <para>
/// Call these from anywhere inside an <see cref="AuditChatClient"/> call, including inside a streamed response and inside
/// the function-invocation loop (tools): the call's <see cref="AuditScope"/> is ambient. Without an audit client in the
/// pipeline the metrics and span tags are still recorded and the audit part is a no-op. Every method is thread-safe and
/// never throws because of the audit trail; a sink that cannot accept the event makes the call fail at its end when the
/// failure policy is <see cref="AuditFailurePolicy.Block"/>.
/// </para>
/// <para>
/// Pass rule ids, offsets and a redacted excerpt; pass <c>content</c> (the raw text) only if you have it at hand: it is
/// hashed, and kept only when <see cref="AuditOptions.IncludeContent"/> is set. Wrap each evaluation in
/// <see cref="StartEvaluation"/> for a span. Report a detected model refusal as an output verdict with category
/// <see cref="RefusalCategory"/> (action <see cref="GuardrailAction.Flag"/> is fine): the drift monitor counts it.
/// </para>
/// <para>
/// Rule-id and span arrays are kept in the event, not copied: pass a fresh array (or one nobody changes) and do not change
/// it afterwards. Other lists are copied. A report costs a few flag checks for instruments and spans nobody listens to,
/// and allocates the event alone.
/// </para>
/// </remarks>
internal static class GuardrailAudit
{
    public const string AuditLayer = "audit";
    public const string InputLayer = "input";
    public const string OutputLayer = "output";
    public const string ToolsLayer = "tools";

    private static readonly KeyValuePair<string, object?>[] s_actionTags =
        [.. Enumerable.Range(0, (int)GuardrailAction.Block + 1).Select(a => new KeyValuePair<string, object?>(SafetyLayersTelemetry.ActionTag, ActionName((GuardrailAction)a)))];

    /// <summary>The category that marks a model refusal (counted by <see cref="DriftMonitor"/> as the refusal rate).</summary>
    public const string RefusalCategory = "refusal";

    /// <summary>Starts the span of one guard evaluation (<c>guard {layer}</c>), or returns <see langword="null"/> when nobody listens. Dispose it when the evaluation ends.</summary>
    public static Activity? StartEvaluation(string layer, string? toolName = null) => SafetyLayersTelemetry.StartGuardEvaluation(layer, toolName);

    /// <summary>Reports the verdict of an input or output evaluation.</summary>
    /// <param name="kind"><see cref="AuditEventKind.InputVerdict"/> or <see cref="AuditEventKind.OutputVerdict"/>.</param>
    /// <param name="layer"><see cref="InputLayer"/>, <see cref="OutputLayer"/> or <see cref="ToolsLayer"/> (tool results).</param>
    /// <param name="action">The strongest action of the matched rules (<see cref="GuardrailAction.Allow"/> when none matched).</param>
    /// <param name="ruleIds">The ids of the matched rules.</param>
    /// <param name="category">The category of the strongest rule.</param>
    /// <param name="spans">Where the rules matched, as offsets into the scanned text.</param>
    /// <param name="latency">How long the scan took.</param>
    /// <param name="redactedExcerpt">Text around the finding with every match already redacted.</param>
    /// <param name="content">The raw scanned text, if at hand (hashed; kept only with <see cref="AuditOptions.IncludeContent"/>).</param>
    /// <param name="policyVersion">The version of the policy that decided.</param>
    public static void ReportVerdict(AuditEventKind kind, string layer, GuardrailAction action, IReadOnlyList<string>? ruleIds = null,
        string? category = null, IReadOnlyList<AuditSpan>? spans = null, TimeSpan latency = default, string? redactedExcerpt = null,
        string? content = null, string? policyVersion = null)
    {
        Activity? activity = Activity.Current;
        RecordMetrics(layer, action, category, latency, ruleIds, activity);
        AuditScope? scope = AuditScope.Current;
        if (scope is null)
        {
            return;
        }

        AuditRecorder recorder = scope.Recorder;
        scope.Record(new AuditEvent(scope, kind, layer, activity, ruleIds, spans)
        {
            Action = action,
            Category = category,
            LatencyMilliseconds = Milliseconds(latency),
            PolicyVersion = policyVersion ?? recorder.PolicyVersion,
            ContentHash = recorder.Hash(content),
            Excerpt = recorder.Excerpt(redactedExcerpt),
            Content = recorder.IncludeContent ? content : null,
        });
    }

    /// <summary>Reports the tool permission layer's decision on one tool call (<see cref="GuardrailAction.Block"/> = denied).</summary>
    /// <param name="toolName">The tool's name.</param>
    /// <param name="action">The decision.</param>
    /// <param name="ruleIds">The ids of the rules that decided.</param>
    /// <param name="reason">A short reason without argument values (for example <c>denied by deny-list</c>).</param>
    /// <param name="latency">How long the decision took.</param>
    /// <param name="arguments">The serialized arguments, if at hand (hashed; kept only with <see cref="AuditOptions.IncludeContent"/>).</param>
    /// <param name="policyVersion">The version of the policy that decided.</param>
    public static void ReportToolDecision(string toolName, GuardrailAction action, IReadOnlyList<string>? ruleIds = null, string? reason = null,
        TimeSpan latency = default, string? arguments = null, string? policyVersion = null)
    {
        if (SafetyLayersTelemetry.ToolDecisions.Enabled)
        {
            SafetyLayersTelemetry.ToolDecisions.Add(1, new KeyValuePair<string, object?>(SafetyLayersTelemetry.ToolNameTag, toolName), ActionTag(action));
        }

        Activity? activity = Activity.Current;
        RecordMetrics(ToolsLayer, action, null, latency, ruleIds, activity);
        AuditScope? scope = AuditScope.Current;
        if (scope is null)
        {
            return;
        }

        AuditRecorder recorder = scope.Recorder;
        recorder.DriftMonitor?.RecordToolCall(toolName, denied: action == GuardrailAction.Block);
        scope.Record(new AuditEvent(scope, AuditEventKind.ToolDecision, ToolsLayer, activity, ruleIds)
        {
            Action = action,
            ToolName = toolName,
            Detail = reason,
            LatencyMilliseconds = Milliseconds(latency),
            PolicyVersion = policyVersion ?? recorder.PolicyVersion,
            ContentHash = recorder.Hash(arguments),
            Content = recorder.IncludeContent ? arguments : null,
        });
    }

    /// <summary>Reports that the output filter stopped a streamed response.</summary>
    /// <param name="ruleIds">The ids of the rules that stopped it.</param>
    /// <param name="category">The category of the strongest rule.</param>
    /// <param name="emittedCharacters">How many characters the caller had received before the stop.</param>
    public static void ReportStreamStopped(IReadOnlyList<string>? ruleIds, string? category, int emittedCharacters)
    {
        Activity? activity = Activity.Current;
        RecordMetrics(OutputLayer, GuardrailAction.Block, category, default, ruleIds, activity);
        AuditScope? scope = AuditScope.Current;
        scope?.Record(new AuditEvent(scope, AuditEventKind.StreamStopped, OutputLayer, activity, ruleIds)
        {
            Action = GuardrailAction.Block,
            Category = category,
            Streaming = true,
            Detail = "stopped after " + emittedCharacters.ToString(System.Globalization.CultureInfo.InvariantCulture) + " characters",
        });
    }

    /// <summary>Reports a human's or an approver's decision on something that required approval.</summary>
    /// <param name="toolName">The tool the approval concerns.</param>
    /// <param name="approved">Whether it was approved.</param>
    /// <param name="approver">Who or what decided (an approver type or a user id), if known.</param>
    public static void ReportApproval(string toolName, bool approved, string? approver = null)
    {
        AuditScope? scope = AuditScope.Current;
        scope?.Record(new AuditEvent(scope, AuditEventKind.Approval, ToolsLayer, Activity.Current)
        {
            Action = approved ? GuardrailAction.Allow : GuardrailAction.Block,
            ToolName = toolName,
            Outcome = approved ? "approved" : "rejected",
            Detail = approver,
        });
    }

    /// <summary>Reports an exception inside a guard (the guard then fails closed, or open by explicit option).</summary>
    /// <param name="layer">The layer that failed.</param>
    /// <param name="exception">The exception; only its type is recorded (messages may contain content).</param>
    public static void ReportError(string layer, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        AuditScope.Current?.RecordError(layer, exception);
    }

    /// <summary>Records how many characters the streaming output filter is holding back (a metric only).</summary>
    /// <param name="characters">The held-back length.</param>
    public static void RecordHoldback(int characters) => SafetyLayersTelemetry.HoldbackLength.Record(characters);

    internal static string ActionName(GuardrailAction action) => action switch
    {
        GuardrailAction.Allow => "allow",
        GuardrailAction.Flag => "flag",
        GuardrailAction.Redact => "redact",
        GuardrailAction.RequireApproval => "require_approval",
        GuardrailAction.Block => "block",
        _ => "unknown",
    };

    private static double? Milliseconds(TimeSpan latency) => latency > TimeSpan.Zero ? latency.TotalMilliseconds : null;

    private static void RecordMetrics(string layer, GuardrailAction action, string? category, TimeSpan latency, IReadOnlyList<string>? ruleIds,
        Activity? activity)
    {
        // Instruments and spans nobody listens to cost one flag check each: no tags are built for them.
        if (SafetyLayersTelemetry.Verdicts.Enabled)
        {
            SafetyLayersTelemetry.Verdicts.Add(1, new KeyValuePair<string, object?>(SafetyLayersTelemetry.LayerTag, layer), ActionTag(action),
                new KeyValuePair<string, object?>(SafetyLayersTelemetry.CategoryTag, category ?? "none"));
        }

        if (latency > TimeSpan.Zero && SafetyLayersTelemetry.ScanDuration.Enabled)
        {
            SafetyLayersTelemetry.ScanDuration.Record(latency.TotalSeconds, new KeyValuePair<string, object?>(SafetyLayersTelemetry.LayerTag, layer));
        }

        if (activity is { IsAllDataRequested: true } && ReferenceEquals(activity.Source, SafetyLayersTelemetry.Source))
        {
            activity.SetTag(SafetyLayersTelemetry.ActionTag, ActionName(action));
            if (category is not null)
            {
                activity.SetTag(SafetyLayersTelemetry.CategoryTag, category);
            }

            if (ruleIds is { Count: > 0 })
            {
                activity.SetTag(SafetyLayersTelemetry.RuleIdsTag, ruleIds.Count == 1 ? ruleIds[0] : string.Join(',', ruleIds));
            }
        }
    }

    private static KeyValuePair<string, object?> ActionTag(GuardrailAction action) =>
        (uint)action < (uint)s_actionTags.Length ? s_actionTags[(int)action] : new(SafetyLayersTelemetry.ActionTag, ActionName(action));
}
