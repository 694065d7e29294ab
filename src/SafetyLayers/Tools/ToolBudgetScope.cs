namespace SafetyLayers;

/// <summary>Where the calls of a tool budget are counted.</summary>
public enum ToolBudgetScope
{
    /// <summary>Within one request to the pipeline, across every iteration of the function-invocation loop.</summary>
    Request = 0,

    /// <summary>
    /// Across the requests of one conversation (keyed by <c>ChatOptions.ConversationId</c> or
    /// <see cref="ToolPolicyOptions.ConversationKeySelector"/>); a request without a key counts within itself.
    /// </summary>
    Conversation = 1,
}
