using System.Numerics;

namespace SafetyLayers.Matching.Prefilters;

/// <summary>
/// The candidates of the last vector block a prefilter searched, kept by the scan (not by the shared prefilter) so that the
/// next call in the same block costs a mask operation instead of a block computation.
/// </summary>
internal struct CandidateCache
{
    private int _block;
    private ulong _mask; // bit k: position _block + k is a candidate not yet handed out
    private int _searchedUpTo; // every position before this was searched (0 until a block is taken)

    /// <summary>Hands out the first candidate of a block and keeps the others.</summary>
    /// <returns>The first candidate, or -1 when <paramref name="mask"/> is empty.</returns>
    public int Take(int block, ulong mask)
    {
        if (mask == 0)
        {
            return -1;
        }

        int first = BitOperations.TrailingZeroCount(mask);
        _block = block;
        _searchedUpTo = block + 64 - BitOperations.LeadingZeroCount(mask); // positions past the highest candidate: not searched
        _searchedUpTo = Math.Max(_searchedUpTo, block + first + 1);
        _mask = mask & (mask - 1);
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
        if (_mask != 0 && from >= _block && from < _block + 64)
        {
            ulong mask = _mask & (ulong.MaxValue << (from - _block));
            _mask = mask;
            if (mask != 0)
            {
                int index = BitOperations.TrailingZeroCount(mask);
                _mask = mask & (mask - 1);
                candidate = _block + index;
                return true;
            }
        }

        candidate = -1;
        if (from >= _block && from < _searchedUpTo)
        {
            searchedUpTo = _searchedUpTo;
        }

        return false;
    }
}
