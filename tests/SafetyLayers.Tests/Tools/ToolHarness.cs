using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

using SafetyLayers.Testing;

namespace SafetyLayers.Tests.Tools;

/// <summary>Tools that record their invocations, and a guarded pipeline around a <see cref="ScriptedAgentChatClient"/>.</summary>
internal sealed class ToolHarness : IDisposable
{
    private readonly ConcurrentQueue<(string Tool, string CallId, AIFunctionArguments Arguments)> _invocations = new();

    public ToolHarness(ScriptedAgentChatClient model, Action<ToolPolicyOptions>? configure = null, Action<FunctionInvokingChatClient>? functions = null,
        TimeProvider? timeProvider = null)
    {
        Model = model;
        var builder = new ChatClientBuilder(model);
        Client = builder.Use(inner => new ToolPermissionChatClient(inner, Configure(configure), timeProvider: timeProvider))
            .UseFunctionInvocation(configure: functions)
            .Build();
    }

    public ScriptedAgentChatClient Model { get; }

    public IChatClient Client { get; }

    public List<AITool> Tools { get; } = [];

    public List<ToolDecision> Decisions { get; } = [];

    /// <summary>Gets the tools that ran, in order, with their arguments.</summary>
    public IReadOnlyList<(string Tool, string CallId, AIFunctionArguments Arguments)> Invocations => [.. _invocations];

    public IEnumerable<string> Ran => _invocations.Select(i => i.Tool);

    public ToolHarness Tool(string name, string result = "ok", string? description = null)
    {
        Tools.Add(AIFunctionFactory.Create((AIFunctionArguments arguments) =>
        {
            _invocations.Enqueue((name, FunctionInvokingChatClient.CurrentContext?.CallContent.CallId ?? string.Empty, arguments));
            return result;
        }, new AIFunctionFactoryOptions { Name = name, Description = description ?? $"The {name} tool." }));
        return this;
    }

    public ToolHarness Tool(AIFunction function)
    {
        Tools.Add(function);
        return this;
    }

    public ChatOptions Options(string? conversationId = null) => new() { Tools = [.. Tools], ConversationId = conversationId };

    public Task<ChatResponse> AskAsync(string userText, string? conversationId = null, bool streaming = false) =>
        SendAsync([new ChatMessage(ChatRole.User, userText)], conversationId, streaming);

    public async Task<ChatResponse> SendAsync(IEnumerable<ChatMessage> messages, string? conversationId = null, bool streaming = false)
    {
        if (!streaming)
        {
            return await Client.GetResponseAsync(messages, Options(conversationId));
        }

        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in Client.GetStreamingResponseAsync(messages, Options(conversationId)))
        {
            updates.Add(update);
        }

        return updates.ToChatResponse();
    }

    public void Dispose() => Client.Dispose();

    private ToolPolicyOptions Configure(Action<ToolPolicyOptions>? configure)
    {
        var options = new ToolPolicyOptions { OnDecision = d => { lock (Decisions) { Decisions.Add(d); } } };
        configure?.Invoke(options);
        return options;
    }
}
