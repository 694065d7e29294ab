using BenchmarkDotNet.Attributes;
using SafetyLayers.Benchmarks.Corpus;
using SafetyLayers.Matching;

namespace SafetyLayers.Benchmarks.Matching;

/// <summary>Build time and build allocations per pattern set (the compiled size is printed by the throughput benchmarks).</summary>
[MemoryDiagnoser]
public class BuildBenchmarks
{
    private string[] _patterns = [];

    [Params("10", "100", "1000", "10000")]
    public string Patterns { get; set; } = "10";

    [Params(false, true)]
    public bool IgnoreCase { get; set; }

    [GlobalSetup]
    public void Setup() => _patterns = BenchData.Patterns(Patterns);

    [Benchmark]
    public PatternSet Build() => new PatternSetBuilder { MatchKind = MatchKind.LeftmostFirst, IgnoreCase = IgnoreCase }.AddRange(_patterns).Build();
}
