namespace SafetyLayers;

/// <summary>The answer of an <see cref="IToolApprover"/>.</summary>
/// <param name="Approved">Whether the call may run.</param>
/// <param name="Reason">Why, given to the model when the call is rejected.</param>
public readonly record struct ToolApprovalDecision(bool Approved, string? Reason = null)
{
    /// <summary>Gets a decision that lets the call run.</summary>
    public static ToolApprovalDecision Approve { get; } = new(true);

    /// <summary>Creates a rejection.</summary>
    /// <param name="reason">Why, given to the model.</param>
    /// <returns>The decision.</returns>
    public static ToolApprovalDecision Reject(string? reason = null) => new(false, reason);
}
