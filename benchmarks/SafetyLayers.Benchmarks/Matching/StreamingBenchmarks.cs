using BenchmarkDotNet.Attributes;
using SafetyLayers.Benchmarks.Corpus;
using SafetyLayers.Matching;

namespace SafetyLayers.Benchmarks.Matching;

/// <summary>The per-token cost: 64 KB of the haystack fed as 4-character chunks through one streaming state.</summary>
[MemoryDiagnoser]
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

    private int StreamChunks()
    {
        var state = default(StreamingScanState);
        ReadOnlySpan<char> text = _text;
        int count = 0;
        for (int i = 0; i < text.Length; i += ChunkLength)
        {
            foreach (PatternMatch _ in _set.EnumerateMatches(ref state, text.Slice(i, ChunkLength), isFinalBlock: i + ChunkLength == text.Length))
            {
                count++;
            }
        }

        return count;
    }
}
