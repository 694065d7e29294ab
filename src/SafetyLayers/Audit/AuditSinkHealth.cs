namespace SafetyLayers;

/// <summary>Specifies whether an <see cref="IAuditSink"/> is currently able to record events.</summary>
public enum AuditSinkHealth
{
    /// <summary>The sink records events.</summary>
    Healthy = 0,

    /// <summary>The sink's last write failed; it retries, and events it cannot keep are counted as lost.</summary>
    Faulted = 1,
}
