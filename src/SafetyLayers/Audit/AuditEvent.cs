using System.Diagnostics;
using System.Text.Json.Serialization;

namespace SafetyLayers;

/// <summary>Represents one record of the audit trail: a request, a guard verdict, a tool decision, an approval, an error or a drift alert.</summary>
/// <remarks>
/// <para>
/// The schema is versioned by <see cref="SchemaVersion"/>; new optional properties may be added within a version, renames and
/// removals raise it. Serialized names are camelCase and <see langword="null"/> properties are omitted.
/// </para>
/// <para>
/// An event holds no raw message text by default: it records rule ids, offsets (<see cref="Spans"/>), a SHA-256
/// <see cref="ContentHash"/> and a redacted <see cref="Excerpt"/>. <see cref="Content"/> is filled only when
/// <see cref="AuditOptions.IncludeContent"/> is set. An audit trail that leaks what a guard redacted is a security bug.
/// </para>
/// <para>
/// Instances are immutable once built: list-valued properties copy what they are given, so an event is a snapshot of the
/// moment it was recorded even when the pipeline later mutates the contents it describes.
/// </para>
/// </remarks>
public sealed class AuditEvent
{
    /// <summary>The schema version written by this library.</summary>
    public const int CurrentSchemaVersion = 1;

    private readonly string[]? _ruleIds;
    private readonly AuditSpan[]? _spans;

    /// <summary>Initializes a new instance of the <see cref="AuditEvent"/> class.</summary>
    public AuditEvent()
    {
    }

    /// <summary>
    /// Starts an event of the call that <paramref name="scope"/> records, stamped with its envelope: the time now, the
    /// call's ids, the trace of <paramref name="activity"/>, the policy version and whether the call streams. The object
    /// initializer adds the rest and may override any of these.
    /// </summary>
    /// <param name="scope">The call.</param>
    /// <param name="kind">What the event records.</param>
    /// <param name="layer">The layer that reports it.</param>
    /// <param name="activity">The ambient activity (<see cref="Activity.Current"/>), read once by the caller.</param>
    /// <param name="ruleIds">Rule ids; an array is kept, not copied, so the caller must not change it afterwards.</param>
    /// <param name="spans">Spans; an array is kept, not copied, so the caller must not change it afterwards.</param>
    internal AuditEvent(AuditScope scope, AuditEventKind kind, string layer, Activity? activity,
        IReadOnlyList<string>? ruleIds = null, IReadOnlyList<AuditSpan>? spans = null)
    {
        AuditRecorder recorder = scope.Recorder;
        Kind = kind;
        Timestamp = recorder.TimeProvider.GetUtcNow();
        RequestId = scope.RequestId;
        ConversationId = scope.ConversationId;
        (TraceId, SpanId) = AuditRecorder.TraceOf(activity);
        Layer = layer;
        PolicyVersion = recorder.PolicyVersion;
        Streaming = scope.Streaming;
        _ruleIds = Keep(ruleIds);
        _spans = Keep(spans);
    }

    /// <summary>Gets the schema version of this event.</summary>
    /// <value>The default is <see cref="CurrentSchemaVersion"/>.</value>
    [JsonPropertyName("v")]
    [JsonPropertyOrder(-10)]
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Gets what this event records.</summary>
    [JsonPropertyOrder(-9)]
    public AuditEventKind Kind { get; init; }

    /// <summary>Gets when the event happened.</summary>
    [JsonPropertyName("time")]
    [JsonPropertyOrder(-8)]
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets the id that groups every event of one chat call.</summary>
    public string? RequestId { get; init; }

    /// <summary>Gets the conversation id of the call, when the caller or the model supplied one.</summary>
    public string? ConversationId { get; init; }

    /// <summary>Gets the W3C trace id of the ambient activity, if any.</summary>
    public string? TraceId { get; init; }

    /// <summary>Gets the W3C span id of the ambient activity, if any.</summary>
    public string? SpanId { get; init; }

    /// <summary>Gets the layer that produced the event (<c>audit</c>, <c>input</c>, <c>output</c>, <c>tools</c>, <c>monitoring</c>).</summary>
    public string? Layer { get; init; }

    /// <summary>Gets the action the layer took; for a <see cref="AuditEventKind.Request"/>, the strongest action of the call.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<GuardrailAction>))]
    public GuardrailAction? Action { get; init; }

    /// <summary>Gets the category of the rules that matched (for example <c>prompt_injection</c>, <c>pii</c>, <c>refusal</c>).</summary>
    public string? Category { get; init; }

    /// <summary>Gets the ids of the rules that matched.</summary>
    /// <value>A copy of the list given at construction, or <see langword="null"/>.</value>
    public IReadOnlyList<string>? RuleIds
    {
        get => _ruleIds;
        init => _ruleIds = Copy(value);
    }

    /// <summary>Gets where the rules matched, as offsets into the scanned text.</summary>
    /// <value>A copy of the list given at construction, or <see langword="null"/>.</value>
    public IReadOnlyList<AuditSpan>? Spans
    {
        get => _spans;
        init => _spans = Copy(value);
    }

    /// <summary>Gets how long the evaluation or the call took, in milliseconds.</summary>
    public double? LatencyMilliseconds { get; init; }

    /// <summary>Gets the version of the policy that produced the verdict.</summary>
    public string? PolicyVersion { get; init; }

    /// <summary>Gets the tool a <see cref="AuditEventKind.ToolDecision"/> or <see cref="AuditEventKind.Approval"/> concerns.</summary>
    public string? ToolName { get; init; }

    /// <summary>Gets a value indicating whether the call was streamed.</summary>
    public bool? Streaming { get; init; }

    /// <summary>Gets how the call or the stream ended (<c>completed</c>, <c>stopped</c>, <c>error</c>, <c>canceled</c>, <c>abandoned</c>).</summary>
    public string? Outcome { get; init; }

    /// <summary>Gets the finish reason of the response (<c>stop</c>, <c>content_filter</c>, ...).</summary>
    public string? FinishReason { get; init; }

    /// <summary>Gets the lowercase hex SHA-256 of the UTF-8 text the event concerns.</summary>
    /// <remarks>A hash of a short or guessable value (a card number, a yes/no answer) can be reversed by trying candidates.</remarks>
    public string? ContentHash { get; init; }

    /// <summary>Gets a short excerpt of the text around a finding, with every matched span already redacted by the reporting layer.</summary>
    public string? Excerpt { get; init; }

    /// <summary>Gets the raw text the event concerns; filled only when <see cref="AuditOptions.IncludeContent"/> is set.</summary>
    public string? Content { get; init; }

    /// <summary>Gets the exception type of an <see cref="AuditEventKind.Error"/>.</summary>
    public string? ErrorType { get; init; }

    /// <summary>Gets a short description without message content (a stop reason, an approval decision, an alert summary).</summary>
    public string? Detail { get; init; }

    /// <summary>Gets the alert of an <see cref="AuditEventKind.DriftAlert"/>.</summary>
    public DriftAlert? Drift { get; init; }

    private static T[]? Keep<T>(IReadOnlyList<T>? source) => source is T[] array ? (array.Length == 0 ? null : array) : Copy(source);

    private static T[]? Copy<T>(IReadOnlyList<T>? source)
    {
        if (source is null || source.Count == 0)
        {
            return null;
        }

        var copy = new T[source.Count];
        for (int i = 0; i < copy.Length; i++)
        {
            copy[i] = source[i];
        }

        return copy;
    }
}
