using SafetyLayers.Benchmarks.Corpus;
using SafetyLayers.Matching;

namespace SafetyLayers.Benchmarks.Matching;

/// <summary>A fast, rough throughput look for every pattern set, engine and prefilter, for tuning the build-time choices.</summary>
internal static class QuickLook
{
    public static void Run(string[] sets)
    {
        if (sets is ["streaming", ..])
        {
            RunStreaming();
            return;
        }

        string text = BenchData.Haystack;
        double megabytes = BenchData.Utf8Length(text) / 1e6;
        foreach (string name in sets.Length > 0 ? sets : ["10", "100", "1000", "10000", "nomatch-100"])
        {
            string[] patterns = BenchData.Patterns(name);
            foreach (bool ignoreCase in new[] { false, true })
            {
                PatternSet chosen = Build(patterns, ignoreCase, null, null);
                Console.WriteLine($"patterns-{name} ignoreCase={ignoreCase}: chosen {chosen.Engine}/{chosen.Prefilter} {Measure(chosen, text, megabytes):F0} MB/s, {chosen.MemoryUsage:N0} B, {ThroughputBenchmarks.Count(chosen, text):N0} matches");
                foreach (ScanEngine engine in Enum.GetValues<ScanEngine>())
                {
                    foreach (PrefilterKind prefilter in new[] { PrefilterKind.None, PrefilterKind.TeddyVector256, PrefilterKind.ShiftOr })
                    {
                        PatternSet set = Build(patterns, ignoreCase, engine, prefilter);
                        Console.WriteLine($"    {engine,-4} {prefilter,-16} {Measure(set, text, megabytes),8:F0} MB/s");
                    }

                    foreach (bool verify in new[] { true, false })
                    {
                        PatternSet set = Build(patterns, ignoreCase, engine, PrefilterKind.TeddyVector512, verify);
                        Console.WriteLine($"    {engine,-4} {"TeddyVector512",-16} {Measure(set, text, megabytes),8:F0} MB/s, candidates verified {(verify ? "directly" : "by the automaton")}");
                    }
                }

                foreach (bool narrow in new[] { true, false })
                {
                    PatternSet set = Build(patterns, ignoreCase, ScanEngine.Dfa, PrefilterKind.None, narrow: narrow);
                    Console.WriteLine($"    Dfa  {"None",-16} {Measure(set, text, megabytes),8:F0} MB/s, {(narrow ? "16" : "32")}-bit transitions, {set.MemoryUsage:N0} B");
                }
            }
        }
    }

    private static void RunStreaming()
    {
        string text = BenchData.Haystack[..(4 * 1024 * 1024)];
        foreach (string name in new[] { "100", "1000" })
        {
            foreach (MatchKind kind in new[] { MatchKind.LeftmostFirst, MatchKind.Overlapping })
            {
                PatternSet set = new PatternSetBuilder { MatchKind = kind }.AddRange(BenchData.Patterns(name)).Build();
                double best = double.MaxValue;
                for (int round = 0; round < 5; round++)
                {
                    TimeSpan start = Environment.CpuUsage.UserTime;
                    var state = default(StreamingScanState);
                    int count = 0;
                    for (int i = 0; i < text.Length; i += 4)
                    {
                        foreach (PatternMatch _ in set.EnumerateMatches(ref state, text.AsSpan(i, 4), i + 4 == text.Length))
                        {
                            count++;
                        }
                    }

                    best = Math.Min(best, (Environment.CpuUsage.UserTime - start).TotalNanoseconds / (text.Length / 4));
                }

                Console.WriteLine($"streaming patterns-{name} {kind}: {best:F1} ns per 4-char chunk");
            }
        }
    }

    private static PatternSet Build(string[] patterns, bool ignoreCase, ScanEngine? engine, PrefilterKind? prefilter, bool? verify = null, bool? narrow = null)
    {
        var builder = new PatternSetBuilder { MatchKind = MatchKind.LeftmostFirst, IgnoreCase = ignoreCase }.AddRange(patterns);
        if (engine is { } e)
        {
            builder.ForceEngine(e);
        }

        if (prefilter is { } p)
        {
            builder.ForcePrefilter(p);
        }

        if (verify is { } v)
        {
            builder.ForceCandidateVerification(v);
        }

        if (narrow is { } w)
        {
            builder.ForceNarrowDfa(w);
        }

        return builder.Build();
    }

    private static double Measure(PatternSet set, string text, double megabytes)
    {
        ThroughputBenchmarks.Count(set, text);
        double best = double.MaxValue;
        for (int i = 0; i < 3; i++)
        {
            // Processor time, not wall time: a rough look stays usable while other work shares the cores.
            TimeSpan start = Environment.CpuUsage.UserTime;
            ThroughputBenchmarks.Count(set, text);
            best = Math.Min(best, (Environment.CpuUsage.UserTime - start).TotalSeconds);
        }

        return megabytes / best;
    }
}
