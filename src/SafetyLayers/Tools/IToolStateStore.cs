namespace SafetyLayers;

/// <summary>Stores the <see cref="ToolConversationState"/> of conversations, so taint and budgets survive across requests and machines.</summary>
/// <remarks>
/// The default, <see cref="InMemoryToolStateStore"/>, is bounded and expires idle conversations. A distributed implementation (for
/// example over a cache shared by every instance of an app) loads the state at the start of a request and saves it at its end.
/// Implementations must be thread-safe.
/// </remarks>
public interface IToolStateStore
{
    /// <summary>Gets the state of a conversation, or a new state when there is none.</summary>
    /// <param name="conversationKey">The conversation's key.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The state.</returns>
    ValueTask<ToolConversationState> GetAsync(string conversationKey, CancellationToken cancellationToken);

    /// <summary>Saves the state of a conversation once a request has used it.</summary>
    /// <param name="conversationKey">The conversation's key.</param>
    /// <param name="state">The state, as returned by <see cref="GetAsync"/> and changed by the request.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the state is saved.</returns>
    ValueTask SaveAsync(string conversationKey, ToolConversationState state, CancellationToken cancellationToken);
}
