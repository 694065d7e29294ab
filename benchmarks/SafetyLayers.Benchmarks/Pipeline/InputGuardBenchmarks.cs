using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace SafetyLayers.Benchmarks.Pipeline;

/// <summary>
/// The input guard with the default policy: a 100-message request scanned in full (target under 100 µs), and a 200-turn
/// conversation sent in full each turn, with and without the verdict cache (with it, earlier turns cost a lookup).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]   // the anchors are medians of 15 runs: run with --iterationCount 15
public class InputGuardBenchmarks
{
    private static readonly ChatResponse s_reply = new(new ChatMessage(ChatRole.Assistant, "ok"));
    private IChatClient _uncached = null!;
    private IChatClient _cached = null!;
    private CannedChatClient _bare = null!;
    private List<ChatMessage> _hundred = null!;
    private List<ChatMessage> _conversation = null!;

    [GlobalSetup]
    public void Setup()
    {
        _bare = PipelineBenchData.Model([], s_reply);
        _uncached = new ChatClientBuilder(PipelineBenchData.Model([], s_reply)).UseInputGuard(o => o.VerdictCacheSize = 0).Build();
        _cached = new ChatClientBuilder(PipelineBenchData.Model([], s_reply)).UseInputGuard().Build();
        _hundred = [.. PipelineBenchData.Texts(100, 200).Select(t => new ChatMessage(ChatRole.User, t))];
        string[] turns = PipelineBenchData.Texts(400, 160, offset: 2_000_000);
        _conversation = [.. turns.Select((t, i) => new ChatMessage(i % 2 == 0 ? ChatRole.User : ChatRole.Assistant, t))];
        foreach (IChatClient client in (IChatClient[])[_uncached, _cached])
        {
            ChatResponse response = client.GetResponseAsync(_hundred).GetAwaiter().GetResult();
            if (response.FinishReason == ChatFinishReason.ContentFilter)
            {
                throw new InvalidOperationException("The default input policy blocked the benchmark corpus; pick other text.");
            }
        }

        _ = _cached.GetResponseAsync(_conversation).GetAwaiter().GetResult();   // warm the cache: the next turns only add a message
        SafetyLayers.Scanning.CompiledRegexCache.CompileAll();   // measure the state of a long-lived service: regexes compiled
        SafetyLayers.Scanning.CompiledRegexCache.WaitForCompilation();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _bare.Dispose();
        _uncached.Dispose();
        _cached.Dispose();
    }

    [Benchmark(Baseline = true)]
    public Task<ChatResponse> HundredMessagesWithoutGuard() => _bare.GetResponseAsync(_hundred);

    [Benchmark]
    public Task<ChatResponse> HundredMessagesScanned() => _uncached.GetResponseAsync(_hundred);

    [Benchmark]
    public Task<ChatResponse> Conversation200TurnsUncached() => _uncached.GetResponseAsync(_conversation);

    [Benchmark]
    public Task<ChatResponse> Conversation200TurnsCached() => _cached.GetResponseAsync(_conversation);
}
