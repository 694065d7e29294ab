namespace SafetyLayers;

/// <summary>Specifies what a guard does with content that a rule matched.</summary>
/// <remarks>
/// The members are ordered by strength: when several rules match the same content, the strongest action
/// wins (see <see cref="GuardrailActions.Strongest(GuardrailAction, GuardrailAction)"/>).
/// </remarks>
public enum GuardrailAction
{
    /// <summary>The content passes unchanged and nothing is recorded beyond the verdict.</summary>
    Allow = 0,

    /// <summary>The content passes unchanged and the finding is recorded.</summary>
    Flag = 1,

    /// <summary>The matched span is replaced by a placeholder before the content passes.</summary>
    Redact = 2,

    /// <summary>The content passes only after a human or an approver accepts it.</summary>
    RequireApproval = 3,

    /// <summary>The content does not pass.</summary>
    Block = 4,
}
