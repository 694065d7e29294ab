namespace SafetyLayers;

/// <summary>What the tool layer remembers about one conversation: taint, private data for flow checks, and call times for budgets.</summary>
/// <remarks>
/// A plain data object so that a distributed <see cref="IToolStateStore"/> can serialize it (for example with System.Text.Json).
/// The tool layer changes it under a lock on the instance while requests of the conversation run; a store that hands out the same
/// instance to concurrent requests (as <see cref="InMemoryToolStateStore"/> does) gets exact budgets, while a store that hands out copies
/// gets last-writer-wins semantics.
/// </remarks>
public sealed class ToolConversationState
{
    /// <summary>Gets or sets a value indicating whether untrusted content has entered the conversation.</summary>
    public bool Tainted { get; set; }

    /// <summary>Gets the tools and agents whose content tainted the conversation (at most 32, first seen first).</summary>
    public List<string> TaintSources { get; init; } = [];

    /// <summary>Gets fragments of private-data results, matched against egress arguments (bounded; oldest dropped first).</summary>
    public List<string> PrivateData { get; init; } = [];

    /// <summary>Gets the times of the calls counted by each conversation budget, by budget id (bounded by each budget's limit).</summary>
    public Dictionary<string, List<DateTimeOffset>> Calls { get; init; } = [];

    /// <summary>Gets or sets when a request of the conversation last used the state.</summary>
    public DateTimeOffset LastUsed { get; set; }
}
