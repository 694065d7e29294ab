using System.Buffers;
using SafetyLayers.Matching.Automaton;

namespace SafetyLayers.Matching.Prefilters;

/// <summary>Chooses and builds the prefilter of a pattern set.</summary>
internal static class PrefilterFactory
{
    public static Prefilter? Create(string[] patterns, CharClassMap classes, bool ignoreCase, PrefilterKind? forced)
    {
        if (patterns.Length == 0)
        {
            return null;
        }

        PrefilterKind kind = forced ?? Choose(patterns, classes, ignoreCase);
        return kind switch
        {
            PrefilterKind.None => null,
            PrefilterKind.StartCharacters => CreateStartChars(patterns, classes, ignoreCase),
            PrefilterKind.TeddyScalar or PrefilterKind.TeddyVector128 or PrefilterKind.TeddyVector256 or PrefilterKind.TeddyVector512
                => TeddyPrefilter.Create(patterns, classes, ignoreCase, kind),
            _ => throw new ArgumentOutOfRangeException(nameof(forced), kind, "Unknown prefilter."),
        };
    }

    private static PrefilterKind Choose(string[] patterns, CharClassMap classes, bool ignoreCase)
    {
        HashSet<char> starts = StartChars(patterns, classes, ignoreCase);
        return starts.Count <= 3 ? PrefilterKind.StartCharacters : PrefilterKind.None;
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
