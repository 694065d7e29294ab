using System.Text.Json.Serialization;

namespace SafetyLayers;

/// <summary>Specifies what an <see cref="AuditEvent"/> records.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AuditEventKind>))]
public enum AuditEventKind
{
    /// <summary>One chat call, written once per call when it ends, even when every verdict was <see cref="GuardrailAction.Allow"/>.</summary>
    [JsonStringEnumMemberName("request")]
    Request = 0,

    /// <summary>The input guard's verdict on the messages a request added.</summary>
    [JsonStringEnumMemberName("input_verdict")]
    InputVerdict = 1,

    /// <summary>The output filter's verdict on a response (or on a streamed response).</summary>
    [JsonStringEnumMemberName("output_verdict")]
    OutputVerdict = 2,

    /// <summary>The output filter stopped a streamed response.</summary>
    [JsonStringEnumMemberName("stream_stopped")]
    StreamStopped = 3,

    /// <summary>The tool permission layer's decision on one tool call or tool result.</summary>
    [JsonStringEnumMemberName("tool_decision")]
    ToolDecision = 4,

    /// <summary>A human or an approver accepted or rejected something that required approval.</summary>
    [JsonStringEnumMemberName("approval")]
    Approval = 5,

    /// <summary>An exception inside the pipeline or a guard.</summary>
    [JsonStringEnumMemberName("error")]
    Error = 6,

    /// <summary>A <see cref="DriftMonitor"/> raised an alert.</summary>
    [JsonStringEnumMemberName("drift_alert")]
    DriftAlert = 7,
}
