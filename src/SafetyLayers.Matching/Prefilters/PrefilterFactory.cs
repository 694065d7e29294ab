using System.Buffers;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using SafetyLayers.Matching.Automaton;

namespace SafetyLayers.Matching.Prefilters;

/// <summary>Chooses and builds the prefilter of a pattern set.</summary>
internal static class PrefilterFactory
{
    public static Prefilter? Create(string[] patterns, CharClassMap classes, bool ignoreCase, MatchKind matchKind, PrefilterKind? forced)
    {
        if (patterns.Length == 0)
        {
            return null;
        }

        PrefilterKind kind = forced ?? Choose(patterns, classes, ignoreCase, matchKind);
        return kind switch
        {
            PrefilterKind.None => null,
            PrefilterKind.StartCharacters => CreateStartChars(patterns, classes, ignoreCase),
            PrefilterKind.TeddyScalar or PrefilterKind.TeddyVector128 or PrefilterKind.TeddyVector256 or PrefilterKind.TeddyVector512
                => TeddyPrefilter.Create(patterns, classes, ignoreCase, kind),
            PrefilterKind.ShiftOr => ShiftOrPrefilter.Create(patterns, classes, ignoreCase),
            _ => throw new ArgumentOutOfRangeException(nameof(forced), kind, "Unknown prefilter."),
        };
    }

    /// <summary>The largest set for which Teddy's eight buckets still filter well, when its candidates are verified directly (leftmost kinds).</summary>
    internal const int MaxTeddyPatterns = 128;

    /// <summary>
    /// The largest set for Teddy when each candidate enters the automaton (overlapping scans): past it, on short chat
    /// messages, the automaton alone was faster (100 and 111 patterns: ~1.0 against 1.2–2.0 ns per character; 10 and 44
    /// patterns: Teddy 0.4–0.8 against 0.9–1.0).
    /// </summary>
    internal const int MaxTeddyPatternsOverlapping = 64;

    /// <summary>
    /// Picks the prefilter: a SearchValues search when at most three characters can begin a match (the BCL then uses its
    /// fastest paths), else Teddy at the widest hardware-accelerated width for small sets, else none. A prefilter that turns
    /// out not to skip enough on a given text is switched off during the scan (<see cref="PrefilterStats"/>).
    /// </summary>
    private static PrefilterKind Choose(string[] patterns, CharClassMap classes, bool ignoreCase, MatchKind matchKind)
    {
        HashSet<char> starts = StartChars(patterns, classes, ignoreCase);
        if (starts.Count <= 3)
        {
            return PrefilterKind.StartCharacters;
        }

        int maxTeddy = matchKind == MatchKind.Overlapping ? MaxTeddyPatternsOverlapping : MaxTeddyPatterns;
        if (patterns.Length > maxTeddy || patterns.Min(p => p.Length) < 2)
        {
            return PrefilterKind.None;
        }

        return WidestTeddy();
    }

    /// <summary>The widest Teddy whose byte shuffle the hardware does natively, or none.</summary>
    internal static PrefilterKind WidestTeddy()
    {
        if (Vector512.IsHardwareAccelerated && Avx512BW.IsSupported)
        {
            return PrefilterKind.TeddyVector512;
        }

        if (Vector256.IsHardwareAccelerated && Avx2.IsSupported)
        {
            return PrefilterKind.TeddyVector256;
        }

        return Vector128.IsHardwareAccelerated && (Ssse3.IsSupported || AdvSimd.IsSupported) ? PrefilterKind.TeddyVector128 : PrefilterKind.None;
    }

    private static HashSet<char> StartChars(string[] patterns, CharClassMap classes, bool ignoreCase)
    {
        var starts = new HashSet<char>();
        foreach (string pattern in patterns)
        {
            char first = CharClassMap.Fold(pattern[0], ignoreCase);
            if (ignoreCase)
            {
                starts.UnionWith(classes.Variants(first));
            }
            else
            {
                starts.Add(first);
            }
        }

        return starts;
    }

    private static StartCharPrefilter CreateStartChars(string[] patterns, CharClassMap classes, bool ignoreCase)
    {
        HashSet<char> starts = StartChars(patterns, classes, ignoreCase);
        return new StartCharPrefilter(SearchValues.Create([.. starts]), starts.Count);
    }
}
