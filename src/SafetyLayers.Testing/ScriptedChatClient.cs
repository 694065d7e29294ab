using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace SafetyLayers.Testing;

/// <summary>An offline <see cref="IChatClient"/> that answers from a script, streaming each reply in small chunks like a real model.</summary>
/// <remarks>
/// <para>
/// Each rule pairs a trigger with a reply: the first rule whose trigger occurs in the last user message (ordinal, case-insensitive)
/// answers; otherwise <see cref="DefaultReply"/> does. Streaming cuts the reply into chunks of <see cref="ChunkSize"/> characters
/// (never inside a surrogate pair), all in one assistant message, then ends with a <see cref="ChatFinishReason.Stop"/> update.
/// </para>
/// <para>Use it for demos and tests of guarded pipelines that must not need a network or a key. The instance is thread-safe once scripted.</para>
/// </remarks>
public sealed class ScriptedChatClient : IChatClient
{
    private readonly List<(string Trigger, string Reply)> _rules = [];
    private int _callCount;

    /// <summary>Gets or sets the reply used when no rule matches.</summary>
    /// <value>The default is <c>I'm a scripted model.</c></value>
    public string DefaultReply { get; set; } = "I'm a scripted model.";

    /// <summary>Gets or sets the number of characters of each streamed chunk.</summary>
    /// <value>The default is 4, the length of a typical token.</value>
    public int ChunkSize { get; set; } = 4;

    /// <summary>Gets or sets the pause before each streamed chunk, to make a demo look like a live model.</summary>
    /// <value>The default is <see cref="TimeSpan.Zero"/>.</value>
    public TimeSpan ChunkDelay { get; set; }

    /// <summary>Gets the number of calls received so far, streaming or not.</summary>
    public int CallCount => Volatile.Read(ref _callCount);

    /// <summary>Adds a rule: when the last user message contains <paramref name="trigger"/>, answer <paramref name="reply"/>.</summary>
    /// <param name="trigger">The text to look for in the last user message.</param>
    /// <param name="reply">The reply.</param>
    /// <returns>This instance, so rules can be chained.</returns>
    /// <exception cref="ArgumentException"><paramref name="trigger"/> is empty.</exception>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public ScriptedChatClient When(string trigger, string reply)
    {
        ArgumentException.ThrowIfNullOrEmpty(trigger);
        ArgumentNullException.ThrowIfNull(reply);
        _rules.Add((trigger, reply));
        return this;
    }

    /// <summary>Returns the reply the script gives to <paramref name="messages"/>.</summary>
    /// <param name="messages">The messages of a request.</param>
    /// <returns>The reply.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="messages"/> is <see langword="null"/>.</exception>
    public string ReplyTo(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        string last = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        foreach ((string trigger, string reply) in _rules)
        {
            if (last.Contains(trigger, StringComparison.OrdinalIgnoreCase))
            {
                return reply;
            }
        }

        return DefaultReply;
    }

    /// <inheritdoc/>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _callCount);
        var message = new ChatMessage(ChatRole.Assistant, ReplyTo(messages)) { MessageId = NewId() };
        return Task.FromResult(new ChatResponse(message) { FinishReason = ChatFinishReason.Stop, ModelId = "scripted" });
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _callCount);
        return StreamAsync(ReplyTo(messages), cancellationToken);
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

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(string reply, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string messageId = NewId();
        int size = Math.Max(1, ChunkSize);
        int start = 0;
        while (start < reply.Length)
        {
            int end = Math.Min(reply.Length, start + size);
            if (end < reply.Length && char.IsHighSurrogate(reply[end - 1]))
            {
                end++;
            }

            if (ChunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(ChunkDelay, cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            yield return new ChatResponseUpdate(ChatRole.Assistant, reply[start..end]) { MessageId = messageId, ModelId = "scripted" };
            start = end;
        }

        yield return new ChatResponseUpdate { Role = ChatRole.Assistant, MessageId = messageId, FinishReason = ChatFinishReason.Stop };
    }

    private static string NewId() => Guid.NewGuid().ToString("N");
}
