using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using SafetyLayers.Benchmarks.Corpus;
using SafetyLayers.Matching;

namespace SafetyLayers.Benchmarks.Matching;

/// <summary>
/// The Regex baselines (an alternation of the escaped patterns: leftmost-first semantics) beside ours on the same
/// 256 K-character prefix of the haystack; Regex at 1,000+ patterns is too slow for the whole haystack.
/// There is no 10,000-pattern case: NonBacktracking refuses that alternation (its automaton passes the 10,000-node limit)
/// and Compiled runs at about 0.1 MB/s.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]   // the anchors are medians of 15 runs: run with --iterationCount 15
public class RegexBaselineBenchmarks
{
    private string _text = string.Empty;
    private PatternSet _ours = null!;
    private Regex _compiled = null!;
    private Regex _nonBacktracking = null!;

    [Params("10", "100", "1000", "nomatch-100")]
    public string Patterns { get; set; } = "10";

    [GlobalSetup]
    public void Setup()
    {
        _text = BenchData.Haystack[..(256 * 1024)];
        string[] patterns = BenchData.Patterns(Patterns);
        string alternation = string.Join("|", patterns.Select(Regex.Escape));
        _ours = new PatternSetBuilder { MatchKind = MatchKind.LeftmostFirst }.AddRange(patterns).Build();
        _compiled = new Regex(alternation, RegexOptions.Compiled);
        _nonBacktracking = new Regex(alternation, RegexOptions.NonBacktracking);
        Console.WriteLine($"// prefix: {BenchData.Utf8Length(_text):N0} UTF-8 bytes");
    }

    [Benchmark(Baseline = true)]
    public int Ours() => ThroughputBenchmarks.Count(_ours, _text);

    [Benchmark]
    public int RegexCompiled() => _compiled.Count(_text);

    [Benchmark]
    public int RegexNonBacktracking() => _nonBacktracking.Count(_text);
}
