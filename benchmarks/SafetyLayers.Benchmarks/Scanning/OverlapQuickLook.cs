using System.Diagnostics;
using SafetyLayers.Benchmarks.Corpus;
using SafetyLayers.Benchmarks.Pipeline;
using SafetyLayers.Matching;

namespace SafetyLayers.Benchmarks.Scanning;

/// <summary>A rough look at overlapping scans (what the policies run) with and without a prefilter, on short and long texts.</summary>
internal static class OverlapQuickLook
{
    public static void Run()
    {
        string[] chat = PipelineBenchData.Texts(100, 200);
        string[] haystack = [BenchData.Haystack[..(1 << 20)]];
        var sets = new List<(string Name, string[] Patterns)>
        {
            ("bench-10", BenchData.Patterns("10")),
            ("bench-100", BenchData.Patterns("100")),
            ("nomatch-100", BenchData.Patterns("nomatch-100")),
            ("PII", [.. new ScanPolicyBuilder().AddPack(RulePacks.Pii).Build().Patterns]),
            ("SEC", [.. new ScanPolicyBuilder().AddPack(RulePacks.Secrets).Build().Patterns]),
        };
        foreach ((string name, string[] patterns) in sets)
        {
            foreach (bool ignoreCase in new[] { false, true })
            {
                foreach ((string textName, string[] texts) in new[] { ("chat 100x200", chat), ("haystack 1 MB", haystack) })
                {
                    PatternSet chosen = Build(patterns, ignoreCase, null);
                    PatternSet none = Build(patterns, ignoreCase, PrefilterKind.None);
                    long chars = texts.Sum(t => (long)t.Length);
                    Console.WriteLine($"{name,-12} ic={ignoreCase,-5} {textName,-14} chosen {chosen.Prefilter,-16} {Measure(chosen, texts) * 1000 / chars,6:F2} ns/char   none {Measure(none, texts) * 1000 / chars,6:F2} ns/char");
                }
            }
        }
    }

    private static PatternSet Build(string[] patterns, bool ignoreCase, PrefilterKind? prefilter)
    {
        var builder = new PatternSetBuilder { MatchKind = MatchKind.Overlapping, IgnoreCase = ignoreCase }.AddRange(patterns);
        if (prefilter is { } p)
        {
            builder.ForcePrefilter(p);
        }

        return builder.Build();
    }

    /// <summary>Best of many batches, in µs per pass over all texts.</summary>
    private static double Measure(PatternSet set, string[] texts)
    {
        double best = double.MaxValue;
        int matches = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed.TotalSeconds < 1)
        {
            long start = Stopwatch.GetTimestamp();
            foreach (string text in texts)
            {
                foreach (PatternMatch match in set.EnumerateMatches(text))
                {
                    matches++;
                }
            }

            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }

        return matches >= 0 ? best : 0;
    }
}
