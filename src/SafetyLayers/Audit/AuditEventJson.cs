using System.Text.Json;

namespace SafetyLayers;

/// <summary>
/// Writes an <see cref="AuditEvent"/> as JSON for the file sink's writer thread: the same bytes as
/// <see cref="AuditJsonContext"/> (property order, names, nulls omitted, escaping, enum strings), without its cost.
/// </summary>
/// <remarks>
/// <para>
/// The source-generated context has no fast path for <see cref="AuditEvent"/> (its enum properties carry converters), so
/// <see cref="JsonSerializer"/> walks the metadata per property and allocated ~310 B per event; this writer allocates
/// nothing and took about half the time in a harness. Property names are encoded once.
/// </para>
/// <para>
/// <c>AuditEventJsonTests</c> sets every public property of <see cref="AuditEvent"/> by reflection and compares the
/// bytes with <see cref="AuditJsonContext"/>'s, so a property added to the event and not written here fails a test.
/// The rare <see cref="AuditEvent.Drift"/> alert is written by the context.
/// </para>
/// </remarks>
internal static class AuditEventJson
{
    private static readonly JsonEncodedText SchemaVersion = JsonEncodedText.Encode("v");
    private static readonly JsonEncodedText Kind = JsonEncodedText.Encode("kind");
    private static readonly JsonEncodedText Time = JsonEncodedText.Encode("time");
    private static readonly JsonEncodedText RequestId = JsonEncodedText.Encode("requestId");
    private static readonly JsonEncodedText ConversationId = JsonEncodedText.Encode("conversationId");
    private static readonly JsonEncodedText TraceId = JsonEncodedText.Encode("traceId");
    private static readonly JsonEncodedText SpanId = JsonEncodedText.Encode("spanId");
    private static readonly JsonEncodedText Layer = JsonEncodedText.Encode("layer");
    private static readonly JsonEncodedText Action = JsonEncodedText.Encode("action");
    private static readonly JsonEncodedText Category = JsonEncodedText.Encode("category");
    private static readonly JsonEncodedText RuleIds = JsonEncodedText.Encode("ruleIds");
    private static readonly JsonEncodedText Spans = JsonEncodedText.Encode("spans");
    private static readonly JsonEncodedText Start = JsonEncodedText.Encode("start");
    private static readonly JsonEncodedText Length = JsonEncodedText.Encode("length");
    private static readonly JsonEncodedText RuleId = JsonEncodedText.Encode("ruleId");
    private static readonly JsonEncodedText LatencyMilliseconds = JsonEncodedText.Encode("latencyMilliseconds");
    private static readonly JsonEncodedText PolicyVersion = JsonEncodedText.Encode("policyVersion");
    private static readonly JsonEncodedText ToolName = JsonEncodedText.Encode("toolName");
    private static readonly JsonEncodedText Streaming = JsonEncodedText.Encode("streaming");
    private static readonly JsonEncodedText Outcome = JsonEncodedText.Encode("outcome");
    private static readonly JsonEncodedText FinishReason = JsonEncodedText.Encode("finishReason");
    private static readonly JsonEncodedText ContentHash = JsonEncodedText.Encode("contentHash");
    private static readonly JsonEncodedText Excerpt = JsonEncodedText.Encode("excerpt");
    private static readonly JsonEncodedText Content = JsonEncodedText.Encode("content");
    private static readonly JsonEncodedText ErrorType = JsonEncodedText.Encode("errorType");
    private static readonly JsonEncodedText Detail = JsonEncodedText.Encode("detail");
    private static readonly JsonEncodedText Drift = JsonEncodedText.Encode("drift");

    /// <summary>The <c>JsonStringEnumMemberName</c>s of <see cref="AuditEventKind"/>, indexed by value, as the context writes them.</summary>
    private static readonly JsonEncodedText[] s_kinds =
        [.. Enumerable.Range(0, (int)Enum.GetValues<AuditEventKind>().Max() + 1).Select(k => JsonEncodedText.Encode(
            JsonSerializer.SerializeToElement((AuditEventKind)k, AuditJsonContext.Default.AuditEventKind).GetString()!))];

    /// <summary>The names of <see cref="GuardrailAction"/>, indexed by value (<c>JsonStringEnumConverter</c> without a naming policy).</summary>
    private static readonly JsonEncodedText[] s_actions =
        [.. Enumerable.Range(0, (int)GuardrailAction.Block + 1).Select(a => JsonEncodedText.Encode(((GuardrailAction)a).ToString()))];

    public static void Write(Utf8JsonWriter writer, AuditEvent auditEvent)
    {
        writer.WriteStartObject();
        writer.WriteNumber(SchemaVersion, auditEvent.SchemaVersion);
        WriteEnum(writer, Kind, (int)auditEvent.Kind, s_kinds);
        writer.WriteString(Time, auditEvent.Timestamp);
        WriteIfSet(writer, RequestId, auditEvent.RequestId);
        WriteIfSet(writer, ConversationId, auditEvent.ConversationId);
        WriteIfSet(writer, TraceId, auditEvent.TraceId);
        WriteIfSet(writer, SpanId, auditEvent.SpanId);
        WriteIfSet(writer, Layer, auditEvent.Layer);
        if (auditEvent.Action is GuardrailAction action)
        {
            WriteEnum(writer, Action, (int)action, s_actions);
        }

        WriteIfSet(writer, Category, auditEvent.Category);
        if (auditEvent.RuleIds is { } ruleIds)
        {
            writer.WriteStartArray(RuleIds);
            for (int i = 0; i < ruleIds.Count; i++)
            {
                writer.WriteStringValue(ruleIds[i]);
            }

            writer.WriteEndArray();
        }

        if (auditEvent.Spans is { } spans)
        {
            writer.WriteStartArray(Spans);
            for (int i = 0; i < spans.Count; i++)
            {
                AuditSpan span = spans[i];
                writer.WriteStartObject();
                writer.WriteNumber(Start, span.Start);
                writer.WriteNumber(Length, span.Length);
                WriteIfSet(writer, RuleId, span.RuleId);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (auditEvent.LatencyMilliseconds is double latency)
        {
            writer.WriteNumber(LatencyMilliseconds, latency);
        }

        WriteIfSet(writer, PolicyVersion, auditEvent.PolicyVersion);
        WriteIfSet(writer, ToolName, auditEvent.ToolName);
        if (auditEvent.Streaming is bool streaming)
        {
            writer.WriteBoolean(Streaming, streaming);
        }

        WriteIfSet(writer, Outcome, auditEvent.Outcome);
        WriteIfSet(writer, FinishReason, auditEvent.FinishReason);
        WriteIfSet(writer, ContentHash, auditEvent.ContentHash);
        WriteIfSet(writer, Excerpt, auditEvent.Excerpt);
        WriteIfSet(writer, Content, auditEvent.Content);
        WriteIfSet(writer, ErrorType, auditEvent.ErrorType);
        WriteIfSet(writer, Detail, auditEvent.Detail);
        if (auditEvent.Drift is { } drift)
        {
            writer.WritePropertyName(Drift);
            JsonSerializer.Serialize(writer, drift, AuditJsonContext.Default.DriftAlert);
        }

        writer.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>Writes an enum as its name, or as its number when the value has no name (as <c>JsonStringEnumConverter</c> does).</summary>
    private static void WriteEnum(Utf8JsonWriter writer, JsonEncodedText name, int value, JsonEncodedText[] names)
    {
        if ((uint)value < (uint)names.Length)
        {
            writer.WriteString(name, names[value]);
        }
        else
        {
            writer.WriteNumber(name, value);
        }
    }
}
