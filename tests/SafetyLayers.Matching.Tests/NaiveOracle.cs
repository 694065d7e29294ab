namespace SafetyLayers.Matching.Tests;

/// <summary>The specification of the match kinds, written as directly as possible: quadratic, obviously right.</summary>
internal static class NaiveOracle
{
    public static List<PatternMatch> Matches(IReadOnlyList<string> patterns, string text, MatchKind kind, bool ignoreCase)
    {
        return kind == MatchKind.Overlapping ? Overlapping(patterns, text, ignoreCase) : Leftmost(patterns, text, kind, ignoreCase);
    }

    /// <summary>Every occurrence, by end position, then longest first, then lowest id.</summary>
    public static List<PatternMatch> Overlapping(IReadOnlyList<string> patterns, string text, bool ignoreCase)
    {
        var result = new List<PatternMatch>();
        for (int end = 1; end <= text.Length; end++)
        {
            var here = new List<PatternMatch>();
            for (int id = 0; id < patterns.Count; id++)
            {
                int start = end - patterns[id].Length;
                if (start >= 0 && MatchesAt(patterns[id], text, start, ignoreCase))
                {
                    here.Add(new PatternMatch(id, start, patterns[id].Length));
                }
            }

            result.AddRange(here.OrderByDescending(m => m.Length).ThenBy(m => m.PatternId));
        }

        return result;
    }

    /// <summary>Non-overlapping matches: at the leftmost start, the first-added (or the longest, then first-added) pattern.</summary>
    public static List<PatternMatch> Leftmost(IReadOnlyList<string> patterns, string text, MatchKind kind, bool ignoreCase)
    {
        var result = new List<PatternMatch>();
        int position = 0;
        while (position < text.Length)
        {
            PatternMatch? found = null;
            for (int start = position; start < text.Length && found is null; start++)
            {
                for (int id = 0; id < patterns.Count; id++)
                {
                    if (start + patterns[id].Length <= text.Length && MatchesAt(patterns[id], text, start, ignoreCase))
                    {
                        var candidate = new PatternMatch(id, start, patterns[id].Length);
                        if (found is null || (kind == MatchKind.LeftmostLongest && candidate.Length > found.Value.Length))
                        {
                            found = candidate;
                        }
                    }
                }
            }

            if (found is not { } match)
            {
                break;
            }

            result.Add(match);
            position = match.End;
        }

        return result;
    }

    public static bool MatchesAt(string pattern, string text, int start, bool ignoreCase)
    {
        for (int i = 0; i < pattern.Length; i++)
        {
            char a = pattern[i];
            char b = text[start + i];
            if (ignoreCase ? char.ToUpperInvariant(a) != char.ToUpperInvariant(b) : a != b)
            {
                return false;
            }
        }

        return true;
    }
}
