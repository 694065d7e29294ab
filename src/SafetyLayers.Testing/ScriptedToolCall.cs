namespace SafetyLayers.Testing;

/// <summary>One tool call a <see cref="ScriptedAgentChatClient"/> makes.</summary>
/// <param name="ToolName">The tool to call.</param>
/// <param name="Arguments">The arguments; values are sent as JSON.</param>
public sealed record ScriptedToolCall(string ToolName, IReadOnlyDictionary<string, object?> Arguments)
{
    /// <summary>Gets the tool to call.</summary>
    public string ToolName { get; init; } = string.IsNullOrWhiteSpace(ToolName) ? throw new ArgumentException("A tool name is required.", nameof(ToolName)) : ToolName;

    /// <summary>Gets the arguments.</summary>
    public IReadOnlyDictionary<string, object?> Arguments { get; init; } = Arguments ?? throw new ArgumentNullException(nameof(Arguments));
}
