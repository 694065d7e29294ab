namespace SafetyLayers;

/// <summary>The exception thrown when a request is refused because the audit trail cannot record it.</summary>
public sealed class AuditUnavailableException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="AuditUnavailableException"/> class.</summary>
    public AuditUnavailableException()
        : base("The audit trail is unavailable, so the request was refused.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AuditUnavailableException"/> class with a message.</summary>
    /// <param name="message">The message that describes the error.</param>
    public AuditUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="AuditUnavailableException"/> class with a message and the I/O error behind it.</summary>
    /// <param name="message">The message that describes the error.</param>
    /// <param name="innerException">The error that made the sink unavailable.</param>
    public AuditUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
