namespace SafetyLayers.Matching.Prefilters;

/// <summary>Finds the next position where a match may start, so the automaton can skip the text in between.</summary>
/// <remarks>
/// Contract: <see cref="Find"/> may return a position where no match starts (a false positive) but never one past a
/// position where a match starts (no false negatives). The automaton verifies every candidate.
/// </remarks>
internal abstract class Prefilter
{
    /// <summary>Gets the kind of search, as reported by <see cref="PatternSet.Prefilter"/>.</summary>
    public abstract PrefilterKind Kind { get; }

    /// <summary>Gets the number of bytes the prefilter's tables take.</summary>
    public abstract long MemoryUsage { get; }

    /// <summary>Returns the smallest index at or after <paramref name="from"/> where a match may start, or -1 if none can.</summary>
    /// <param name="text">The text being scanned.</param>
    /// <param name="from">The first position to consider.</param>
    /// <param name="cache">Candidates already found in <paramref name="text"/> during this scan, owned by the caller.</param>
    public abstract int Find(ReadOnlySpan<char> text, int from, ref CandidateCache cache);
}
