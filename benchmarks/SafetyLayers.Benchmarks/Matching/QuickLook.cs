using System.Diagnostics;
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
        if (sets is ["chosen", ..])
        {
            // Only the configuration the builder picks, ordinal, for a few seconds: for profiling one set.
            PatternSet chosen = Build(BenchData.Patterns(sets[1]), sets.Contains("ci"), null, null);
            var watch = Stopwatch.StartNew();
            double best = 0;
            while (watch.Elapsed.TotalSeconds < 5)
            {
                best = Math.Max(best, Measure(chosen, text, megabytes));
            }

            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();   // this thread only, unlike BenchmarkDotNet's process-wide count
            int matches = ThroughputBenchmarks.Count(chosen, text);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            Console.WriteLine($"patterns-{sets[1]}: {chosen.Engine}/{chosen.Prefilter}, best {best:F0} MB/s, {matches:N0} matches, {chosen.MemoryUsage:N0} B, {allocated} B allocated by a scan");
            return;
        }

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
        // Many short rounds through a method of their own, so that the loop runs tiered code (as in the benchmark), not OSR code.
        string text = BenchData.Haystack[..(256 * 1024)];
        int chunk = int.Parse(Environment.GetEnvironmentVariable("SL_QUICK_CHUNK") ?? "4", System.Globalization.CultureInfo.InvariantCulture);   // a power of two
        foreach (string name in new[] { "100", "1000" })
        {
            foreach (MatchKind kind in new[] { MatchKind.LeftmostFirst, MatchKind.Overlapping })
            {
                PatternSet set = new PatternSetBuilder { MatchKind = kind }.AddRange(BenchData.Patterns(name)).Build();
                double best = double.MaxValue;
                var watch = Stopwatch.StartNew();
                while (watch.Elapsed.TotalSeconds < 1.5)
                {
                    long start = Stopwatch.GetTimestamp();
                    StreamingBenchmarks.Stream(set, text, chunk);   // a method of its own: the loop runs tiered code
                    best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalNanoseconds / (text.Length / chunk));
                }

                Console.WriteLine($"streaming patterns-{name} {kind}: {best:F1} ns per {chunk}-char chunk (best round), {ThroughputBenchmarks.Count(set, text) * (double)chunk / text.Length:P1} of the chunks end a match");
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
        for (int i = 0; i < 5; i++)
        {
            // Wall time, best of five: processor time ticks too coarsely here (a fast scan of the haystack read as 0 s).
            long start = Stopwatch.GetTimestamp();
            ThroughputBenchmarks.Count(set, text);
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        return megabytes / best;
    }
}
