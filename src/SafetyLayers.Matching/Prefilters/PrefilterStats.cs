namespace SafetyLayers.Matching.Prefilters;

/// <summary>
/// The per-scan side of a prefilter: its candidate cache, and how far it skips. Tracks how far a prefilter skips during one scan, and switches it off when it does not pay: a prefilter that stops
/// every few characters costs more than the automaton it is meant to spare (the Rust crate uses the same heuristic).
/// </summary>
internal struct PrefilterStats
{
    private const int MinCalls = 32;
    private const int MinAverageSkip = 12;

    private int _calls;
    private long _skipped;
    private CandidateCache _cache;

    /// <summary>Gets a value indicating whether the prefilter was switched off for the rest of the scan.</summary>
    public bool Off { get; private set; }

    /// <summary>Asks the prefilter for the next candidate at or after <paramref name="position"/>.</summary>
    /// <returns>The candidate, or -1 when no match can start in the rest of the text.</returns>
    public int Next(Prefilter prefilter, ReadOnlySpan<char> text, int position)
    {
        int candidate = prefilter.Find(text, position, ref _cache);
        if (candidate >= 0)
        {
            _calls++;
            _skipped += candidate - position;
            if (_calls >= MinCalls && _skipped < (long)_calls * MinAverageSkip)
            {
                Off = true;
            }
        }

        return candidate;
    }
}
