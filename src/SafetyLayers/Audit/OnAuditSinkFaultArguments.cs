namespace SafetyLayers;

/// <summary>Represents the arguments of <see cref="AuditOptions.OnSinkFault"/>: an audit sink that can no longer write.</summary>
/// <param name="sink">The faulted sink.</param>
/// <param name="error">The I/O error, when the sink reports one.</param>
public readonly struct OnAuditSinkFaultArguments(IAuditSink sink, Exception? error)
{
    /// <summary>Gets the faulted sink.</summary>
    public IAuditSink Sink { get; } = sink;

    /// <summary>Gets the I/O error, when the sink reports one.</summary>
    public Exception? Error { get; } = error;
}
