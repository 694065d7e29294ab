using System.Collections.Concurrent;

namespace SafetyLayers;

/// <summary>An <see cref="IAuditSink"/> that keeps events in memory, for tests and diagnostics.</summary>
/// <remarks>Thread-safe. Nothing is ever evicted; do not use it for long-running production processes.</remarks>
public sealed class InMemoryAuditSink : IAuditSink
{
    private readonly ConcurrentQueue<AuditEvent> _events = new();

    /// <summary>Gets a snapshot of the events recorded so far, in the order they were accepted.</summary>
    public IReadOnlyList<AuditEvent> Events => [.. _events];

    /// <inheritdoc/>
    public AuditSinkHealth Health => AuditSinkHealth.Healthy;

    /// <inheritdoc/>
    public ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        _events.Enqueue(auditEvent);
        return default;
    }

    /// <inheritdoc/>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => default;

    /// <summary>Removes every recorded event.</summary>
    public void Clear() => _events.Clear();
}
