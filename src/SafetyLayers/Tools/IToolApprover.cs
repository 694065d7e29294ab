namespace SafetyLayers;

/// <summary>Approves or rejects tool calls in process (a second model, a rules service, a chat-ops bot) instead of asking the caller.</summary>
/// <remarks>
/// When <see cref="ToolPolicyOptions.Approver"/> is set, calls that need approval are decided by it with their full arguments, and
/// MEAI's approval flow is not used. Calls the policy denies never reach it. Implementations must be thread-safe.
/// </remarks>
public interface IToolApprover
{
    /// <summary>Decides on one tool call.</summary>
    /// <param name="request">The call and why it needs approval.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The decision; an exception counts as a rejection.</returns>
    ValueTask<ToolApprovalDecision> ApproveAsync(ToolApprovalRequest request, CancellationToken cancellationToken);
}
