using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SafetyLayers.Testing;

/// <summary>
/// An offline, tool-using model for red-teaming agents: it makes the calls of the user's task, one per turn; when a tool result
/// contains <see cref="Trigger"/> it obeys the injected instruction by making <see cref="ObeyedCalls"/>; then it answers with every tool
/// result it saw (<c>Done. callId=result | ...</c>).
/// </summary>
/// <remarks>
/// <para>
/// It models the worst case an agent's guardrails must survive: a model that follows any instruction it reads. Run it inside MEAI's
/// function invocation with your tools and policy, and assert that the obeyed calls never run. Task calls get the ids <c>task_0</c>,
/// <c>task_1</c>, ...; obeyed calls <c>attack_0</c>, ...; arguments reach the tools as parsed JSON, as from a real model.
/// </para>
/// <para>The instance is thread-safe once scripted.</para>
/// </remarks>
public sealed class ScriptedAgentChatClient : IChatClient
{
    private readonly Lock _gate = new();
    private readonly List<IReadOnlyList<ChatMessage>> _requests = [];

    /// <summary>Gets the calls of the user's task, made in order, one per turn (all in the first turn with <see cref="ParallelCalls"/>).</summary>
    public IList<ScriptedToolCall> TaskCalls { get; } = [];

    /// <summary>Gets the calls the model makes once a tool result contains <see cref="Trigger"/>.</summary>
    public IList<ScriptedToolCall> ObeyedCalls { get; } = [];

    /// <summary>Gets or sets the text whose presence in a tool result makes the model obey; <see langword="null"/> for a model that never does.</summary>
    public string? Trigger { get; set; }

    /// <summary>Gets or sets a value indicating whether all task calls are made at once, in the first turn (parallel tool calls).</summary>
    public bool ParallelCalls { get; set; }

    /// <summary>Gets the requests received so far, streaming or not.</summary>
    public IReadOnlyList<IReadOnlyList<ChatMessage>> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Adds a call to the user's task.</summary>
    /// <param name="toolName">The tool to call.</param>
    /// <param name="arguments">The arguments; values are sent as JSON.</param>
    /// <returns>This instance, so calls can be chained.</returns>
    /// <exception cref="ArgumentException"><paramref name="toolName"/> is empty.</exception>
    public ScriptedAgentChatClient Calls(string toolName, IReadOnlyDictionary<string, object?>? arguments = null)
    {
        TaskCalls.Add(new ScriptedToolCall(toolName, arguments ?? new Dictionary<string, object?>()));
        return this;
    }

    /// <summary>Makes the model obey an injected instruction: once a tool result contains <paramref name="trigger"/>, it calls <paramref name="toolName"/>.</summary>
    /// <param name="trigger">The text of the injection to look for in tool results.</param>
    /// <param name="toolName">The tool the injection asks for.</param>
    /// <param name="arguments">The arguments the injection asks for.</param>
    /// <returns>This instance, so calls can be chained.</returns>
    /// <exception cref="ArgumentException"><paramref name="trigger"/> or <paramref name="toolName"/> is empty.</exception>
    public ScriptedAgentChatClient Obeys(string trigger, string toolName, IReadOnlyDictionary<string, object?>? arguments = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(trigger);
        Trigger = trigger;
        ObeyedCalls.Add(new ScriptedToolCall(toolName, arguments ?? new Dictionary<string, object?>()));
        return this;
    }

    /// <inheritdoc/>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        List<ChatMessage> list = [.. messages];
        lock (_gate)
        {
            _requests.Add(list);
        }

        return Task.FromResult(new ChatResponse(Next(list)) { FinishReason = ChatFinishReason.Stop, ResponseId = NewId(), ModelId = "scripted-agent" });
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ChatResponse response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (ChatResponseUpdate update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    /// <summary>Gets the text a tool result shows the model: a string as it is, anything else as JSON.</summary>
    /// <param name="result">The result of a <see cref="FunctionResultContent"/>.</param>
    /// <returns>The text.</returns>
    public static string DescribeResult(object? result) => result switch
    {
        null => string.Empty,
        string s => s,
        JsonElement e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText(),
        _ => JsonSerializer.Serialize(result, AIJsonUtilities.DefaultOptions.GetTypeInfo(result.GetType())),
    };

    private static string NewId() => Guid.NewGuid().ToString("N");

    private static FunctionCallContent Call(string callId, ScriptedToolCall call) =>
        new(callId, call.ToolName, call.Arguments.ToDictionary(a => a.Key, a => a.Value is null ? null : (object?)ToJson(a.Value)));

    private static JsonElement ToJson(object value) =>
        value is JsonElement element ? element : JsonSerializer.SerializeToElement(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType()));

    private ChatMessage Next(List<ChatMessage> messages)
    {
        int lastUser = messages.FindLastIndex(m => m.Role == ChatRole.User && !string.IsNullOrEmpty(m.Text));
        List<AIContent> turn = [.. messages.Skip(lastUser + 1).SelectMany(m => m.Contents)];
        var calls = turn.OfType<FunctionCallContent>().ToList();
        var results = turn.OfType<FunctionResultContent>().ToList();
        int taskDone = calls.Count(c => c.CallId.StartsWith("task_", StringComparison.Ordinal));
        if (taskDone < TaskCalls.Count)
        {
            int count = ParallelCalls ? TaskCalls.Count - taskDone : 1;
            return new ChatMessage(ChatRole.Assistant, [.. Enumerable.Range(taskDone, count).Select(i => (AIContent)Call("task_" + i, TaskCalls[i]))]) { MessageId = NewId() };
        }

        bool injected = Trigger is not null && results.Exists(r => DescribeResult(r.Result).Contains(Trigger, StringComparison.Ordinal));
        int obeyed = calls.Count(c => c.CallId.StartsWith("attack_", StringComparison.Ordinal));
        if (injected && obeyed < ObeyedCalls.Count)
        {
            return new ChatMessage(ChatRole.Assistant, [Call("attack_" + obeyed, ObeyedCalls[obeyed])]) { MessageId = NewId() };
        }

        string answer = "Done. " + string.Join(" | ", results.Select(r => r.CallId + "=" + DescribeResult(r.Result)));
        return new ChatMessage(ChatRole.Assistant, answer) { MessageId = NewId() };
    }
}
