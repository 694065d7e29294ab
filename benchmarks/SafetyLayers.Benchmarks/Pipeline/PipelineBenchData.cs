using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SafetyLayers.Benchmarks.Corpus;
using SafetyLayers.Testing;

namespace SafetyLayers.Benchmarks.Pipeline;

/// <summary>Shared inputs of the pipeline benchmarks: token streams and conversations cut from the haystack.</summary>
internal static class PipelineBenchData
{
    /// <summary>Gets <paramref name="count"/> tokens of <paramref name="length"/> characters, in haystack order (ordinary text).</summary>
    public static string[] Tokens(int count, int length) =>
        [.. Enumerable.Range(0, count).Select(i => BenchData.Haystack.Substring(i * length, length))];

    /// <summary>Gets <paramref name="count"/> user-sized texts of about <paramref name="length"/> characters from the haystack.</summary>
    public static string[] Texts(int count, int length, int offset = 1_000_000) =>
        [.. Enumerable.Range(0, count).Select(i => BenchData.Haystack.Substring(offset + (i * length), length))];

    /// <summary>Builds the updates of one streamed reply once, so the fake model itself allocates nothing per run.</summary>
    public static ChatResponseUpdate[] Updates(string[] tokens)
    {
        var updates = new ChatResponseUpdate[tokens.Length + 1];
        for (int i = 0; i < tokens.Length; i++)
        {
            updates[i] = new ChatResponseUpdate(ChatRole.Assistant, tokens[i]) { MessageId = "m1" };
        }

        updates[^1] = new ChatResponseUpdate { Role = ChatRole.Assistant, MessageId = "m1", FinishReason = ChatFinishReason.Stop };
        return updates;
    }

    /// <summary>A fake model that replays prebuilt updates synchronously and answers non-streaming calls with one prebuilt response.</summary>
    public static FakeChatClient Model(ChatResponseUpdate[] updates, ChatResponse response) => new()
    {
        GetStreamingResponseAsyncCallback = (_, _, ct) => Replay(updates, ct),
        GetResponseAsyncCallback = (_, _, _) => Task.FromResult(response),
    };

    private static async IAsyncEnumerable<ChatResponseUpdate> Replay(ChatResponseUpdate[] updates, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (ChatResponseUpdate update in updates)
        {
            yield return update;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
