namespace SafetyLayers.Scanning;

/// <summary>
/// Where each character of a normalized text came from in the original text: normalized character <c>i</c> came from
/// <c>[Start(i), End(i))</c>. Three forms: the identity (nothing moved), a range per character, or the identity with runs of
/// spaces collapsed into their first space, kept as one record per run instead of two numbers per character.
/// </summary>
/// <remarks>
/// Plain ASCII prose with a double space or a blank line collapses runs and nothing else: writing and compacting two
/// integers per character cost more than the rest of the collapse step. A run's record holds the index of its kept space in
/// the normalized text and how many spaces were dropped up to and with that run; a lookup is a binary search over the
/// records, paid only for a finding or a phrase hit, not per character.
/// </remarks>
internal readonly ref struct OffsetMap
{
    private readonly ReadOnlySpan<int> _starts;
    private readonly ReadOnlySpan<int> _ends;
    private readonly ReadOnlySpan<int> _runs;   // pairs: a kept space's index, the spaces dropped up to and with its run

    /// <summary>Initializes a map of one range per character; two empty spans make the identity.</summary>
    public OffsetMap(ReadOnlySpan<int> starts, ReadOnlySpan<int> ends)
    {
        _starts = starts;
        _ends = ends;
    }

    private OffsetMap(ReadOnlySpan<int> runs) => _runs = runs;

    /// <summary>Gets a value indicating whether normalized character <c>i</c> came from original character <c>i</c>, for every <c>i</c>.</summary>
    public bool IsIdentity => _starts.IsEmpty && _runs.IsEmpty;

    /// <summary>Creates the map of a text whose only change of length was collapsing runs of spaces.</summary>
    /// <param name="runs">For each collapsed run in order, the index of its kept space and the number of spaces dropped up to and with it.</param>
    public static OffsetMap WithCollapsedRuns(ReadOnlySpan<int> runs) => new(runs);

    /// <summary>Returns the index of the first original character behind normalized character <paramref name="index"/>.</summary>
    public int Start(int index)
    {
        if (!_starts.IsEmpty)
        {
            return _starts[index];
        }

        int before = RunsBefore(index);
        return before == 0 ? index : index + _runs[(2 * before) - 1];
    }

    /// <summary>Returns the index just past the last original character behind normalized character <paramref name="index"/>.</summary>
    public int End(int index)
    {
        if (!_ends.IsEmpty)
        {
            return _ends[index];
        }

        int before = RunsBefore(index);
        if (2 * before < _runs.Length && _runs[2 * before] == index)
        {
            return index + _runs[(2 * before) + 1] + 1;   // the kept space covers its whole run
        }

        return (before == 0 ? index : index + _runs[(2 * before) - 1]) + 1;
    }

    /// <summary>The number of runs whose kept space lies before <paramref name="index"/>.</summary>
    private int RunsBefore(int index)
    {
        int low = 0;
        int high = _runs.Length / 2;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (_runs[2 * middle] < index)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
