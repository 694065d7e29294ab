namespace SafetyLayers;

/// <summary>Specifies what an audit sink does when its queue is full.</summary>
public enum AuditQueueFullMode
{
    /// <summary>The writer waits for space: nothing is lost, and a slow disk slows the requests down.</summary>
    Wait = 0,

    /// <summary>The new event is dropped and counted (<see cref="JsonLinesAuditSink.DroppedEventCount"/> and the <c>safetylayers.audit.events.dropped</c> metric).</summary>
    Drop = 1,
}
