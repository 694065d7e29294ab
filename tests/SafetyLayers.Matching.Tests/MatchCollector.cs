namespace SafetyLayers.Matching.Tests;

/// <summary>Collects the matches of the scan APIs into lists, with stream-absolute positions for streaming scans.</summary>
internal static class MatchCollector
{
    public static List<PatternMatch> OneShot(PatternSet set, string text)
    {
        var result = new List<PatternMatch>();
        foreach (PatternMatch match in set.EnumerateMatches(text))
        {
            result.Add(match);
        }

        return result;
    }

    /// <summary>Feeds the text in chunks cut at <paramref name="cuts"/> (sorted positions), returning absolute matches.</summary>
    public static List<PatternMatch> Streamed(PatternSet set, string text, IReadOnlyList<int> cuts)
    {
        var result = new List<PatternMatch>();
        var state = default(StreamingScanState);
        int previous = 0;
        for (int k = 0; k <= cuts.Count; k++)
        {
            int end = k < cuts.Count ? cuts[k] : text.Length;
            bool final = k == cuts.Count;
            foreach (PatternMatch match in set.EnumerateMatches(ref state, text.AsSpan(previous, end - previous), final))
            {
                result.Add(match with { Index = match.Index + previous });
            }

            previous = end;
        }

        return result;
    }

    public static List<int> RandomCuts(Random random, int length)
    {
        var cuts = new List<int>();
        int position = 0;
        while (position < length)
        {
            position += random.Next(4) switch { 0 => 0, 1 => 1, 2 => random.Next(1, 4), _ => random.Next(1, 20) };
            if (position < length)
            {
                cuts.Add(position);
            }
        }

        return cuts;
    }
}
