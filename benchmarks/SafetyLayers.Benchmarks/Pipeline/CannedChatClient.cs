using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace SafetyLayers.Benchmarks.Pipeline;

/// <summary>
/// The benchmarks' model: answers every call with one prebuilt response, or replays prebuilt updates synchronously, and keeps
/// nothing of the calls.
/// </summary>
/// <remarks>
/// <see cref="Testing.FakeChatClient"/> records the messages of every call for the tests to inspect: over a benchmark run it
/// kept a copy of the message list per call (928 B for 100 messages) to the end of the run, and the collections promoted
/// them. That cost (5.2–6.2 µs per 100-message call) was the recorder's, in the baseline and the guarded runs alike; this
/// client allocates nothing per non-streaming call, so what the benchmarks add over it is the guardrails' alone.
/// </remarks>
internal sealed class CannedChatClient(ChatResponseUpdate[] updates, ChatResponse response) : IChatClient
{
    private readonly Task<ChatResponse> _response = Task.FromResult(response);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return _response;
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return Replay(updates, cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> Replay(ChatResponseUpdate[] updates, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (ChatResponseUpdate update in updates)
        {
            yield return update;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
