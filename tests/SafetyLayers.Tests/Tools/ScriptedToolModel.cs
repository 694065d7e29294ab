using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SafetyLayers.Tests.Tools;

/// <summary>
/// A fake model that runs a tool-using task: it calls the task's tools one per turn, then (when a tool result carries
/// <see cref="Injection"/>) obeys it by making the attack's calls, then answers with every tool result it saw.
/// </summary>
/// <remarks>It models the worst case the tool layer must survive: a model that follows any instruction it reads.</remarks>
internal sealed class ScriptedToolModel : IChatClient
{
    private readonly Lock _gate = new();
    private readonly List<List<ChatMessage>> _requests = [];

    /// <summary>Gets the calls of the user's task, in order (several in one turn when grouped by <see cref="ParallelTask"/>).</summary>
    public List<(string Tool, Dictionary<string, object?> Arguments)> Task { get; } = [];

    /// <summary>Gets or sets a value indicating whether all task calls are made in the first turn (parallel tool calls).</summary>
    public bool ParallelTask { get; set; }

    /// <summary>Gets or sets the text whose presence in a tool result makes the model obey the attack.</summary>
    public string? Injection { get; set; }

    /// <summary>Gets the calls the injected instruction asks for.</summary>
    public List<(string Tool, Dictionary<string, object?> Arguments)> Attack { get; } = [];

    /// <summary>Gets the requests the model received.</summary>
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

    public ScriptedToolModel Calls(string tool, object? arguments = null)
    {
        Task.Add((tool, ToDictionary(arguments)));
        return this;
    }

    public ScriptedToolModel Obeys(string injection, string tool, object? arguments = null)
    {
        Injection = injection;
        Attack.Add((tool, ToDictionary(arguments)));
        return this;
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        List<ChatMessage> list = [.. messages];
        lock (_gate)
        {
            _requests.Add(list);
        }

        return System.Threading.Tasks.Task.FromResult(new ChatResponse(Next(list)) { FinishReason = ChatFinishReason.Stop, ResponseId = Guid.NewGuid().ToString("N") });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ChatResponse response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (ChatResponseUpdate update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    /// <summary>The text a tool result shows the model.</summary>
    public static string ResultText(object? result) => result switch
    {
        null => string.Empty,
        string s => s,
        JsonElement e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText(),
        _ => JsonSerializer.Serialize(result, AIJsonUtilities.DefaultOptions.GetTypeInfo(result.GetType())),
    };

    private ChatMessage Next(List<ChatMessage> messages)
    {
        int lastUser = messages.FindLastIndex(m => m.Role == ChatRole.User && !string.IsNullOrEmpty(m.Text));
        List<AIContent> turn = [.. messages.Skip(lastUser + 1).SelectMany(m => m.Contents)];
        var calls = turn.OfType<FunctionCallContent>().ToList();
        var results = turn.OfType<FunctionResultContent>().ToList();
        int taskDone = calls.Count(c => c.CallId.StartsWith("task_", StringComparison.Ordinal));
        if (taskDone < Task.Count)
        {
            int count = ParallelTask ? Task.Count : 1;
            return new ChatMessage(ChatRole.Assistant, [.. Enumerable.Range(taskDone, count).Select(i => Call("task_" + i, Task[i]))]) { MessageId = Guid.NewGuid().ToString("N") };
        }

        bool injected = Injection is not null && results.Any(r => ResultText(r.Result).Contains(Injection, StringComparison.Ordinal));
        int attackDone = calls.Count(c => c.CallId.StartsWith("attack_", StringComparison.Ordinal));
        if (injected && attackDone < Attack.Count)
        {
            return new ChatMessage(ChatRole.Assistant, [Call("attack_" + attackDone, Attack[attackDone])]) { MessageId = Guid.NewGuid().ToString("N") };
        }

        string answer = "Done. " + string.Join(" | ", results.Select(r => r.CallId + "=" + ResultText(r.Result)));
        return new ChatMessage(ChatRole.Assistant, answer) { MessageId = Guid.NewGuid().ToString("N") };
    }

    private static FunctionCallContent Call(string callId, (string Tool, Dictionary<string, object?> Arguments) step) =>
        new(callId, step.Tool, new Dictionary<string, object?>(step.Arguments));

    /// <summary>Arguments as the model sends them: parsed JSON, as MEAI's function invocation receives them.</summary>
    private static Dictionary<string, object?> ToDictionary(object? arguments)
    {
        if (arguments is null)
        {
            return [];
        }

        JsonElement json = JsonSerializer.SerializeToElement(arguments, AIJsonUtilities.DefaultOptions.GetTypeInfo(arguments.GetType()));
        return json.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
    }
}
