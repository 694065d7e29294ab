namespace SafetyLayers;

/// <summary>The exception thrown when a guard blocks a request or a response and is configured to throw instead of refusing.</summary>
public sealed class GuardrailViolationException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="GuardrailViolationException"/> class.</summary>
    public GuardrailViolationException()
        : base("A guardrail blocked the content.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GuardrailViolationException"/> class with a message.</summary>
    /// <param name="message">The message that describes the violation.</param>
    public GuardrailViolationException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GuardrailViolationException"/> class with a message and an inner exception.</summary>
    /// <param name="message">The message that describes the violation.</param>
    /// <param name="innerException">The exception that caused the violation, such as a guard failure that failed closed.</param>
    public GuardrailViolationException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="GuardrailViolationException"/> class with the verdict that caused it.</summary>
    /// <param name="message">The message that describes the violation.</param>
    /// <param name="verdict">The verdict of the layer that blocked.</param>
    /// <exception cref="ArgumentNullException"><paramref name="verdict"/> is <see langword="null"/>.</exception>
    public GuardrailViolationException(string? message, GuardrailVerdict verdict)
        : base(message, verdict?.Error)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        Verdict = verdict;
    }

    /// <summary>Gets the verdict that caused the violation, or <see langword="null"/> when the exception was created without one.</summary>
    public GuardrailVerdict? Verdict { get; }
}
