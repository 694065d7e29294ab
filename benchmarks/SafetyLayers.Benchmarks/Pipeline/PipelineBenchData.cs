using Microsoft.Extensions.AI;
using SafetyLayers.Benchmarks.Corpus;

namespace SafetyLayers.Benchmarks.Pipeline;

/// <summary>Shared inputs of the pipeline benchmarks: token streams and conversations cut from the haystack.</summary>
internal static class PipelineBenchData
{
    /// <summary>Gets <paramref name="count"/> tokens of <paramref name="length"/> characters of ordinary text no default rule fires on.</summary>
    public static string[] Tokens(int count, int length)
    {
        string text = CleanText(count * length);
        return [.. Enumerable.Range(0, count).Select(i => text.Substring(i * length, length))];
    }

    /// <summary>Gets <paramref name="count"/> texts of <paramref name="length"/> characters no default rule fires on.</summary>
    public static string[] Texts(int count, int length, int offset = 1_000_000)
    {
        string text = CleanText(count * length, offset);
        return [.. Enumerable.Range(0, count).Select(i => text.Substring(i * length, length))];
    }

    /// <summary>Haystack lines on which no rule of the default input and output policies fires, joined, at least <paramref name="length"/> long.</summary>
    /// <remarks>The chat corpus holds real prompt-injection and PII examples; benchmarks of the benign path must not hit them.</remarks>
    public static string CleanText(int length, int offset = 0)
    {
        var text = new System.Text.StringBuilder(length + 512);
        int start = offset;
        string haystack = BenchData.Haystack;
        while (text.Length < length)
        {
            int end = haystack.IndexOf('\n', start);
            string line = haystack[start..(end < 0 ? haystack.Length : end + 1)];
            start = end < 0 ? 0 : end + 1;
            if (!ScanPolicies.DefaultCombined.Scan(line).HasFindings && !ScanPolicies.DefaultCombined.Scan(text.ToString(Math.Max(0, text.Length - 512), Math.Min(512, text.Length)) + line).HasFindings)
            {
                text.Append(line);
            }
        }

        return text.ToString(0, length);
    }

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

    /// <summary>A fake model that replays prebuilt updates synchronously and answers non-streaming calls with one prebuilt response, recording nothing.</summary>
    public static CannedChatClient Model(ChatResponseUpdate[] updates, ChatResponse response) => new(updates, response);
}
