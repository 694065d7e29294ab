using System.Numerics;

namespace SafetyLayers.Matching.Prefilters;

/// <summary>
/// The candidates of the last vector block a prefilter searched, kept by the scan (not by the shared prefilter) so that the
/// next call in the same block costs a mask operation instead of a block computation.
/// </summary>
internal struct CandidateCache
{
    private int _block;
    private ulong _mask; // bit k: position _block + k is a candidate (positions before _searchedFrom excluded)
    private int _searchedFrom; // the block's positions before this were searched earlier: their candidates are not in _mask
    private int _searchedUpTo; // every position before this was searched (0 until a block is taken)

    /// <summary>Hands out the first candidate of a block and keeps them all.</summary>
    /// <remarks>
    /// A candidate handed out stays in the cache until a search starts past it, so a caller may search again from an earlier
    /// position (<see cref="TeddyVerifier"/> looks a few candidates ahead of a match, then resumes at the match's end).
    /// </remarks>
    /// <param name="searchedFrom">Where the search started: the block's candidates before it are not in <paramref name="mask"/>.</param>
    /// <param name="block">The first position of the block.</param>
    /// <param name="mask">Bit k: position <paramref name="block"/> + k is a candidate.</param>
    /// <returns>The first candidate, or -1 when <paramref name="mask"/> is empty.</returns>
    public int Take(int searchedFrom, int block, ulong mask)
    {
        if (mask == 0)
        {
            return -1;
        }

        int first = BitOperations.TrailingZeroCount(mask);
        _block = block;
        _searchedFrom = searchedFrom;
        _searchedUpTo = block + 64 - BitOperations.LeadingZeroCount(mask); // positions past the highest candidate: not searched
        _searchedUpTo = Math.Max(_searchedUpTo, block + first + 1);
        _mask = mask;
        return block + first;
    }

    /// <summary>Returns the next cached candidate at or after <paramref name="from"/>, if the cache still covers it.</summary>
    /// <param name="from">The first position to consider.</param>
    /// <param name="candidate">The candidate when the method returns <see langword="true"/>.</param>
    /// <param name="searchedUpTo">Where an uncached search may start: positions before it hold no candidates.</param>
    /// <returns><see langword="true"/> when a cached candidate was found.</returns>
    public bool TryNext(int from, out int candidate, out int searchedUpTo)
    {
        searchedUpTo = from;
        if (_mask != 0 && from >= _searchedFrom && from < _block + 64)
        {
            ulong mask = _mask & (ulong.MaxValue << (from - _block));
            if (mask != 0)
            {
                int index = BitOperations.TrailingZeroCount(mask);
                candidate = _block + index;
                return true;
            }
        }

        candidate = -1;
        if (from >= _searchedFrom && from < _searchedUpTo)
        {
            searchedUpTo = _searchedUpTo;
        }

        return false;
    }
}
