namespace SafetyLayers;

/// <summary>Receives <see cref="AuditEvent"/> records.</summary>
/// <remarks>
/// <see cref="WriteAsync"/> sits on the request path: implementations should hand the event off (queue it) and return a
/// completed <see cref="ValueTask"/>, doing I/O elsewhere. Implementations must be safe to call from many threads at once.
/// </remarks>
public interface IAuditSink
{
    /// <summary>Gets whether the sink is currently able to record events.</summary>
    AuditSinkHealth Health { get; }

    /// <summary>Records one event.</summary>
    /// <param name="auditEvent">The event; it is immutable and may be kept by reference.</param>
    /// <param name="cancellationToken">Cancels a write that is waiting for queue space.</param>
    /// <returns>A task that completes when the sink has accepted the event (not necessarily written it).</returns>
    ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default);

    /// <summary>Waits until every event accepted before the call is written as durably as the sink is configured to write.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the events are written.</returns>
    ValueTask FlushAsync(CancellationToken cancellationToken = default);
}
