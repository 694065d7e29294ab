namespace SafetyLayers;

/// <summary>Represents what a guard layer decided about one request or one response.</summary>
/// <remarks>Instances are immutable. They carry rule ids and spans, never the matched text.</remarks>
public sealed class GuardrailVerdict
{
    /// <summary>Initializes a new instance of the <see cref="GuardrailVerdict"/> class.</summary>
    /// <param name="stage">The layer that reached the verdict.</param>
    /// <param name="action">The strongest action among the findings, or <see cref="GuardrailAction.Block"/> for a guard failure that failed closed.</param>
    /// <param name="findings">The findings.</param>
    /// <param name="enforced"><see langword="false"/> when the layer only monitors and changed nothing.</param>
    /// <param name="error">The exception a guard failed with, if any.</param>
    /// <exception cref="ArgumentNullException"><paramref name="findings"/> is <see langword="null"/>.</exception>
    public GuardrailVerdict(GuardrailStage stage, GuardrailAction action, IReadOnlyList<GuardrailFinding> findings, bool enforced, Exception? error = null)
    {
        ArgumentNullException.ThrowIfNull(findings);
        Stage = stage;
        Action = action;
        Findings = findings;
        Enforced = enforced;
        Error = error;
    }

    /// <summary>Gets the layer that reached the verdict.</summary>
    public GuardrailStage Stage { get; }

    /// <summary>Gets the strongest action among the findings.</summary>
    /// <value><see cref="GuardrailAction.Allow"/> when nothing fired; <see cref="GuardrailAction.Block"/> when a guard failed closed.</value>
    public GuardrailAction Action { get; }

    /// <summary>Gets the findings, in message order.</summary>
    public IReadOnlyList<GuardrailFinding> Findings { get; }

    /// <summary>Gets a value indicating whether the layer acted on the verdict.</summary>
    /// <value><see langword="false"/> in monitor-only mode, and when a guard failure was let through by a fail-open option.</value>
    public bool Enforced { get; }

    /// <summary>Gets the exception that a guard failed with, or <see langword="null"/>.</summary>
    public Exception? Error { get; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Stage}: {Action}{(Enforced ? string.Empty : " (not enforced)")}{(Findings.Count == 0 ? string.Empty : " [" + string.Join(", ", Findings.Select(f => f.RuleId)) + "]")}{(Error is null ? string.Empty : " error: " + Error.GetType().Name)}";
}
