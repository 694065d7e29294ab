using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SafetyLayers;

/// <summary>
/// The one <see cref="ActivitySource"/> and the one <see cref="Meter"/> of SafetyLayers, both named <c>SafetyLayers</c>,
/// and the instruments every layer records into.
/// </summary>
/// <remarks>
/// Attribute names reuse the OpenTelemetry <c>gen_ai.*</c> conventions where one applies (<c>gen_ai.tool.name</c>,
/// <c>gen_ai.conversation.id</c>) and use <c>safetylayers.*</c> otherwise. No instrument or span carries message text:
/// tags are layers, actions, categories, rule ids and tool names.
/// </remarks>
internal static class SafetyLayersTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "SafetyLayers";

    public const string LayerTag = "safetylayers.layer";
    public const string ActionTag = "safetylayers.action";
    public const string CategoryTag = "safetylayers.category";
    public const string RuleIdsTag = "safetylayers.rule_ids";
    public const string SinkTag = "safetylayers.audit.sink";
    public const string ReasonTag = "safetylayers.reason";
    public const string SignalTag = "safetylayers.drift.signal";
    public const string ToolNameTag = "gen_ai.tool.name";
    public const string ConversationIdTag = "gen_ai.conversation.id";
    public const string OperationNameTag = "gen_ai.operation.name";

    private static readonly string? s_version = typeof(SafetyLayersTelemetry).Assembly.GetName().Version?.ToString();

    public static readonly ActivitySource Source = new(Name, s_version);

    public static readonly Meter Meter = new(Name, s_version);

    /// <summary>Guard verdicts, tagged by layer, action and category.</summary>
    public static readonly Counter<long> Verdicts = Meter.CreateCounter<long>(
        "safetylayers.guard.verdicts", "{verdict}", "Guard verdicts by layer, action and category.");

    /// <summary>How long one guard evaluation (a scan) took, in seconds.</summary>
    public static readonly Histogram<double> ScanDuration = Meter.CreateHistogram<double>(
        "safetylayers.guard.scan.duration", "s", "Duration of one guard evaluation.");

    /// <summary>How many characters a streaming output filter held back.</summary>
    public static readonly Histogram<int> HoldbackLength = Meter.CreateHistogram<int>(
        "safetylayers.output.holdback.length", "{char}", "Characters held back by the streaming output filter.");

    /// <summary>Tool permission decisions, tagged by tool name and action.</summary>
    public static readonly Counter<long> ToolDecisions = Meter.CreateCounter<long>(
        "safetylayers.tool.decisions", "{decision}", "Tool permission decisions by tool and action.");

    /// <summary>Requests seen by the audit layer.</summary>
    public static readonly Counter<long> Requests = Meter.CreateCounter<long>(
        "safetylayers.requests", "{request}", "Chat requests seen by the audit layer, by strongest action.");

    /// <summary>Audit events an audit sink dropped or lost, tagged by sink and reason.</summary>
    public static readonly Counter<long> AuditDropped = Meter.CreateCounter<long>(
        "safetylayers.audit.events.dropped", "{event}", "Audit events that were not written (queue full in drop mode, or lost after a fault).");

    /// <summary>Audit events written durably, tagged by sink.</summary>
    public static readonly Counter<long> AuditWritten = Meter.CreateCounter<long>(
        "safetylayers.audit.events.written", "{event}", "Audit events written and flushed by a file sink.");

    /// <summary>I/O errors of audit sinks, tagged by sink.</summary>
    public static readonly Counter<long> AuditErrors = Meter.CreateCounter<long>(
        "safetylayers.audit.write.errors", "{error}", "I/O errors while writing the audit log.");

    /// <summary>Drift alerts, tagged by signal.</summary>
    public static readonly Counter<long> DriftAlerts = Meter.CreateCounter<long>(
        "safetylayers.drift.alerts", "{alert}", "Drift alerts raised by a DriftMonitor.");

    static SafetyLayersTelemetry()
    {
        Meter.CreateObservableGauge("safetylayers.audit.queue.depth", JsonLinesAuditSink.ObserveQueueDepths, "{event}",
            "Audit events waiting in a file sink's queue.");
        Meter.CreateObservableGauge("safetylayers.audit.sink.health", JsonLinesAuditSink.ObserveHealth, "1",
            "1 when an audit sink is healthy, 0 when it is faulted.");
    }

    /// <summary>Makes sure the static constructor (the observable instruments) has run.</summary>
    public static void EnsureInitialized()
    {
    }

    /// <summary>Starts the span of one guard evaluation, or returns <see langword="null"/> when nobody listens.</summary>
    /// <param name="layer">The layer that evaluates (<c>input</c>, <c>output</c>, <c>tools</c>).</param>
    /// <param name="toolName">The tool the evaluation concerns, if any.</param>
    public static Activity? StartGuardEvaluation(string layer, string? toolName = null)
    {
        Activity? activity = Source.StartActivity("guard " + layer, ActivityKind.Internal);
        if (activity is not null)
        {
            activity.SetTag(OperationNameTag, "guard");
            activity.SetTag(LayerTag, layer);
            if (toolName is not null)
            {
                activity.SetTag(ToolNameTag, toolName);
            }
        }

        return activity;
    }
}
