using BenchmarkDotNet.Attributes;
using SafetyLayers.Benchmarks.Corpus;
using SafetyLayers.Matching;

namespace SafetyLayers.Benchmarks.Matching;

/// <summary>The per-token cost: 64 KB of the haystack fed as 4-character chunks through one streaming state.</summary>
[MemoryDiagnoser]
[MedianColumn]   // the anchors are medians of 15 runs: run with --iterationCount 15
public class StreamingBenchmarks
{
    private const int TextLength = 64 * 1024;
    private const int ChunkLength = 4;
    private string _text = string.Empty;
    private PatternSet _set = null!;

    [Params("100", "1000")]
    public string Patterns { get; set; } = "100";

    [Params(MatchKind.LeftmostFirst, MatchKind.Overlapping)]
    public MatchKind Kind { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _text = BenchData.Haystack[..TextLength];
        _set = new PatternSetBuilder { MatchKind = Kind }.AddRange(BenchData.Patterns(Patterns)).Build();
        int streamed = StreamChunks();
        int oneShot = ThroughputBenchmarks.Count(_set, _text);
        if (streamed != oneShot)
        {
            throw new InvalidOperationException($"streamed {streamed} matches, one-shot {oneShot}.");
        }
    }

    /// <summary>One operation = one 4-character chunk.</summary>
    [Benchmark(OperationsPerInvoke = TextLength / ChunkLength)]
    public int PerChunk() => StreamChunks();

    private int StreamChunks() => Stream(_set, _text, ChunkLength);

    /// <summary>Feeds <paramref name="text"/> through one streaming state in chunks of <paramref name="chunkLength"/> characters (a divisor of its length).</summary>
    /// <returns>The number of matches.</returns>
    internal static int Stream(PatternSet set, ReadOnlySpan<char> text, int chunkLength)
    {
        var state = default(StreamingScanState);
        int count = 0;
        for (int i = 0; i < text.Length; i += chunkLength)
        {
            foreach (PatternMatch _ in set.EnumerateMatches(ref state, text.Slice(i, chunkLength), isFinalBlock: i + chunkLength == text.Length))
            {
                count++;
            }
        }

        return count;
    }
}
