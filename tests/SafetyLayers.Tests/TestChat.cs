using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SafetyLayers.Testing;

namespace SafetyLayers.Tests;

/// <summary>Helpers shared by the layer tests.</summary>
internal static class TestChat
{
    /// <summary>A fake model that answers every call with <paramref name="chunks"/>, streamed as one update each, or joined.</summary>
    public static FakeChatClient Model(params string[] chunks) => new()
    {
        GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, string.Concat(chunks)) { MessageId = "m1" })
        {
            FinishReason = ChatFinishReason.Stop,
        }),
        GetStreamingResponseAsyncCallback = (_, _, ct) => Stream(chunks, ct),
    };

    /// <summary>Streams one update per chunk without thread hops, then a finish update.</summary>
    public static async IAsyncEnumerable<ChatResponseUpdate> Stream(IEnumerable<string> chunks, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (string chunk in chunks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ChatResponseUpdate(ChatRole.Assistant, chunk) { MessageId = "m1", ResponseId = "r1" };
        }

        await Task.CompletedTask;
        yield return new ChatResponseUpdate { Role = ChatRole.Assistant, MessageId = "m1", FinishReason = ChatFinishReason.Stop };
    }

    /// <summary>Sends <paramref name="messages"/> streamed or not and returns the response the caller would assemble.</summary>
    public static async Task<ChatResponse> SendAsync(IChatClient client, bool streaming, IEnumerable<ChatMessage> messages, CancellationToken cancellationToken = default)
    {
        if (!streaming)
        {
            return await client.GetResponseAsync(messages, null, cancellationToken);
        }

        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(messages, null, cancellationToken))
        {
            updates.Add(update);
        }

        return updates.ToChatResponse();
    }

    public static Task<ChatResponse> SendAsync(IChatClient client, bool streaming, string userText) =>
        SendAsync(client, streaming, [new ChatMessage(ChatRole.User, userText)]);
}
