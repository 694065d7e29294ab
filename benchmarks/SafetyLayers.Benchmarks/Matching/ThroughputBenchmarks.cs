using System.Buffers;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using SafetyLayers.Benchmarks.Corpus;
using SafetyLayers.Matching;

namespace SafetyLayers.Benchmarks.Matching;

/// <summary>
/// Counts the matches of a pattern set in the haystack: ours (leftmost-first, ordinal and case-insensitive) beside the
/// BCL's <see cref="SearchValues{T}"/> IndexOfAny loop. MB/s = UTF-8 bytes of the text / mean time (see docs/matcher.md).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]   // the anchors are medians of 15 runs: run with --iterationCount 15
public class ThroughputBenchmarks
{
    private string _text = string.Empty;
    private PatternSet _ordinal = null!;
    private PatternSet _ignoreCase = null!;
    private SearchValues<string> _searchValues = null!;
    private SearchValues<string> _searchValuesIgnoreCase = null!;

    [Params("10", "100", "1000", "10000", "nomatch-100")]
    public string Patterns { get; set; } = "10";

    [GlobalSetup]
    public void Setup()
    {
        _text = BenchData.Haystack;
        string[] patterns = BenchData.Patterns(Patterns);
        _ordinal = new PatternSetBuilder { MatchKind = MatchKind.LeftmostFirst }.AddRange(patterns).Build();
        _ignoreCase = new PatternSetBuilder { MatchKind = MatchKind.LeftmostFirst, IgnoreCase = true }.AddRange(patterns).Build();
        _searchValues = SearchValues.Create(patterns, StringComparison.Ordinal);
        _searchValuesIgnoreCase = SearchValues.Create(patterns, StringComparison.OrdinalIgnoreCase);

        // The leftmost-first count must equal a Regex alternation's on the same text (checked on a prefix, Regex is slow;
        // past NonBacktracking's automaton limit, the other engine of ours is the reference instead).
        string prefix = _text[..200_000];
        int expected = patterns.Length <= 1000
            ? new Regex(string.Join("|", patterns.Select(Regex.Escape)), RegexOptions.NonBacktracking).Count(prefix)
            : Count(new PatternSetBuilder { MatchKind = MatchKind.LeftmostFirst }.AddRange(patterns)
                .ForceEngine(_ordinal.Engine == ScanEngine.Dfa ? ScanEngine.Nfa : ScanEngine.Dfa).Build(), prefix);
        int actual = Count(_ordinal, prefix);
        if (actual != expected)
        {
            throw new InvalidOperationException($"patterns-{Patterns}: {actual} matches, the reference finds {expected}.");
        }

        Console.WriteLine($"// patterns-{Patterns}: engine {_ordinal.Engine}, prefilter {_ordinal.Prefilter}/{_ignoreCase.Prefilter}, " +
            $"memory {_ordinal.MemoryUsage:N0} B, matches {Count(_ordinal, _text):N0}, text {BenchData.Utf8Length(_text):N0} UTF-8 bytes");
    }

    [Benchmark(Baseline = true)]
    public int Ours() => Count(_ordinal, _text);

    [Benchmark]
    public int OursIgnoreCase() => Count(_ignoreCase, _text);

    [Benchmark]
    public int SearchValuesLoop() => CountStarts(_searchValues, _text);

    [Benchmark]
    public int SearchValuesLoopIgnoreCase() => CountStarts(_searchValuesIgnoreCase, _text);

    internal static int Count(PatternSet set, string text)
    {
        int count = 0;
        foreach (PatternMatch _ in set.EnumerateMatches(text))
        {
            count++;
        }

        return count;
    }

    /// <summary>The usual SearchValues loop: find the next position where any pattern starts, step past it.</summary>
    internal static int CountStarts(SearchValues<string> values, string text)
    {
        int count = 0;
        ReadOnlySpan<char> rest = text;
        while (true)
        {
            int index = rest.IndexOfAny(values);
            if (index < 0)
            {
                return count;
            }

            count++;
            rest = rest[(index + 1)..];
        }
    }
}
