using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace SafetyLayers.Benchmarks.Pipeline;

/// <summary>
/// The per-token overhead of the guardrails: a 1,000-token reply of 4-character tokens streamed through
/// <c>UseGuardrails()</c> (input guard + output filter, default policies) against the same fake model without guardrails.
/// Target (issue 5): under 300 ns and at most one update, its contents list, text content and string per emitted token.
/// </summary>
[MemoryDiagnoser]
public class StreamingPipelineBenchmarks
{
    private const int TokenCount = 1000;
    private CannedChatClient _bare = null!;
    private IChatClient _guarded = null!;
    private List<ChatMessage> _request = null!;
    private string _expected = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        string[] tokens = PipelineBenchData.Tokens(TokenCount, 4);
        ChatResponseUpdate[] updates = PipelineBenchData.Updates(tokens);
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, string.Concat(tokens)));
        _bare = PipelineBenchData.Model(updates, response);
        _guarded = new ChatClientBuilder(PipelineBenchData.Model(updates, response)).UseGuardrails().Build();
        _request = [new ChatMessage(ChatRole.User, "Tell me about breakfast options without eggs.")];
        _expected = string.Concat(tokens);
        string streamed = StreamAsync(_guarded).GetAwaiter().GetResult();
        if (streamed != _expected)
        {
            throw new InvalidOperationException("The default output policy changed ordinary text; the benchmark corpus must pass byte for byte.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _bare.Dispose();
        _guarded.Dispose();
    }

    /// <summary>One operation = one streamed token, without guardrails.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = TokenCount)]
    public Task<int> WithoutGuardrails() => CountAsync(_bare);

    /// <summary>One operation = one streamed token, through the input guard and the output filter.</summary>
    [Benchmark(OperationsPerInvoke = TokenCount)]
    public Task<int> WithGuardrails() => CountAsync(_guarded);

    private async Task<int> CountAsync(IChatClient client)
    {
        int length = 0;
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(_request))
        {
            foreach (AIContent content in update.Contents)
            {
                if (content is TextContent text)
                {
                    length += text.Text.Length;
                }
            }
        }

        return length;
    }

    private async Task<string> StreamAsync(IChatClient client)
    {
        var text = new System.Text.StringBuilder();
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(_request))
        {
            text.Append(update.Text);
        }

        return text.ToString();
    }
}
