namespace SafetyLayers;

/// <summary>The time and ambient trace ids captured when an audit event is built.</summary>
internal readonly record struct AuditStamp(DateTimeOffset Timestamp, string? TraceId, string? SpanId);
