using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace SafetyLayers.Testing;

/// <summary>An <see cref="IChatClient"/> whose behaviour is supplied by callbacks, for tests of guarded pipelines.</summary>
/// <remarks>
/// Unset callbacks fail with <see cref="InvalidOperationException"/>, so a test notices a call it did not plan for.
/// Every call is counted in <see cref="CallCount"/> and its messages are recorded in <see cref="ReceivedMessages"/>.
/// The instance is thread-safe as long as the callbacks are.
/// </remarks>
public sealed class FakeChatClient : IChatClient
{
    private readonly Lock _gate = new();
    private readonly List<IReadOnlyList<ChatMessage>> _received = [];

    /// <summary>Gets or sets the callback that answers <see cref="GetResponseAsync"/>.</summary>
    /// <value>The default is <see langword="null"/>: a call fails.</value>
    public Func<IEnumerable<ChatMessage>, ChatOptions?, CancellationToken, Task<ChatResponse>>? GetResponseAsyncCallback { get; set; }

    /// <summary>Gets or sets the callback that answers <see cref="GetStreamingResponseAsync"/>.</summary>
    /// <value>The default is <see langword="null"/>: a call fails.</value>
    public Func<IEnumerable<ChatMessage>, ChatOptions?, CancellationToken, IAsyncEnumerable<ChatResponseUpdate>>? GetStreamingResponseAsyncCallback { get; set; }

    /// <summary>Gets the number of calls received so far, streaming or not.</summary>
    public int CallCount
    {
        get
        {
            lock (_gate)
            {
                return _received.Count;
            }
        }
    }

    /// <summary>Gets a snapshot of the messages of every call received so far, in call order.</summary>
    public IReadOnlyList<IReadOnlyList<ChatMessage>> ReceivedMessages
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    /// <inheritdoc/>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        List<ChatMessage> list = Record(messages);
        Func<IEnumerable<ChatMessage>, ChatOptions?, CancellationToken, Task<ChatResponse>> callback = GetResponseAsyncCallback
            ?? throw new InvalidOperationException($"{nameof(FakeChatClient)}.{nameof(GetResponseAsyncCallback)} is not set.");
        return callback(list, options, cancellationToken);
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        List<ChatMessage> list = Record(messages);
        Func<IEnumerable<ChatMessage>, ChatOptions?, CancellationToken, IAsyncEnumerable<ChatResponseUpdate>> callback = GetStreamingResponseAsyncCallback
            ?? throw new InvalidOperationException($"{nameof(FakeChatClient)}.{nameof(GetStreamingResponseAsyncCallback)} is not set.");
        return callback(list, options, cancellationToken);
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

    /// <summary>Creates an update sequence that yields each text as its own update of one assistant message.</summary>
    /// <param name="chunks">The texts to stream, in order.</param>
    /// <param name="cancellationToken">The token that stops the sequence.</param>
    /// <returns>An asynchronous sequence of updates, one per chunk, then a final update with <see cref="ChatFinishReason.Stop"/>.</returns>
    public static async IAsyncEnumerable<ChatResponseUpdate> StreamText(IEnumerable<string> chunks, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        const string MessageId = "fake-message";
        foreach (string chunk in chunks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, chunk) { MessageId = MessageId };
        }

        yield return new ChatResponseUpdate { Role = ChatRole.Assistant, MessageId = MessageId, FinishReason = ChatFinishReason.Stop };
    }

    private List<ChatMessage> Record(IEnumerable<ChatMessage> messages)
    {
        List<ChatMessage> list = [.. messages];
        lock (_gate)
        {
            _received.Add(list);
        }

        return list;
    }
}
