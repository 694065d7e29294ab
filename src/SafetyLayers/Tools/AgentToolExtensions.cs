using System.ComponentModel;
using Microsoft.Extensions.AI;

namespace SafetyLayers;

/// <summary>Extension methods that expose one agent (a chat client) to another as a tool, across a trust boundary.</summary>
public static class AgentToolExtensions
{
    /// <summary>
    /// Creates a tool that sends a request to <paramref name="agent"/> and returns its answer. The tool carries the mark of an agent, so
    /// the calling agent's tool permission layer treats its results as untrusted content (<see cref="ToolLabels.UntrustedSource"/>):
    /// after it answered, the caller's egress tools need approval.
    /// </summary>
    /// <param name="agent">The agent, typically a pipeline built with <c>UseGuardrails()</c>.</param>
    /// <param name="name">The tool's name.</param>
    /// <param name="description">What the agent does, for the calling model.</param>
    /// <param name="options">The options of each request to the agent (its tools, for example), or <see langword="null"/>.</param>
    /// <returns>The tool.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="agent"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="description"/> is empty.</exception>
    public static AIFunction AsAgentTool(this IChatClient agent, string name, string description, ChatOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        return AIFunctionFactory.Create(
            async ([Description("The request for the agent.")] string request, CancellationToken cancellationToken) =>
                (await agent.GetResponseAsync(request, options?.Clone(), cancellationToken).ConfigureAwait(false)).Text,
            new AIFunctionFactoryOptions
            {
                Name = name,
                Description = description,
                AdditionalProperties = new Dictionary<string, object?> { [ToolPolicyDefaults.AgentProperty] = true },
            });
    }
}
