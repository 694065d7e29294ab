namespace SafetyLayers.Matching;

/// <summary>The position of a streaming scan between two chunks of text.</summary>
/// <remarks>
/// <para><c>default(StreamingScanState)</c> is the start of a stream. Pass the same variable, by reference, with every chunk of
/// one stream to <see cref="PatternSet.EnumerateMatches(ref StreamingScanState, ReadOnlySpan{char}, bool)"/>, and enumerate each
/// chunk's matches fully before feeding the next one. After a chunk with <c>isFinalBlock: true</c> has been enumerated, the
/// state is back at the start of a stream and can be reused.</para>
/// <para>The leftmost match kinds may have to look at up to <see cref="PatternSet.MaxPatternLength"/> - 1 characters of
/// earlier chunks again; the state keeps them in a buffer that it allocates once, on first need. A state belongs to one
/// <see cref="PatternSet"/> at a time and is not thread-safe.</para>
/// </remarks>
public struct StreamingScanState
{
    /// <summary>The automaton state, or 0 at the start of a stream (the dead state is never kept between steps).</summary>
    internal int State;

    /// <summary>The number of characters of the stream before the next one to read.</summary>
    internal long Position;

    /// <summary>The leftmost match seen but not yet reported, as pattern id + 1 (0: none).</summary>
    internal int PendingPattern;

    /// <summary>The end of the pending match.</summary>
    internal long PendingEnd;

    /// <summary>Characters of earlier chunks, from <see cref="BufferStart"/>, that a leftmost scan may read again.</summary>
    internal char[]? Buffer;

    /// <summary>The number of characters held in <see cref="Buffer"/>.</summary>
    internal int BufferLength;

    /// <summary>The stream position of <c>Buffer[0]</c>.</summary>
    internal long BufferStart;

    /// <summary>The set this state is being used with.</summary>
    internal PatternSet? Owner;

    /// <summary>Gets the number of characters of the stream consumed so far.</summary>
    public readonly long Consumed => Position;

    /// <summary>Gets the number of characters of earlier chunks that are held because a match may still start in them.</summary>
    /// <remarks>A streaming filter must not emit these characters yet; see <see cref="PatternSet.HoldbackLength"/>.</remarks>
    public readonly int PendingLength => Owner?.HoldbackLength(in this) ?? 0;

    internal void Reset()
    {
        char[]? buffer = Buffer;
        this = default;
        Buffer = buffer; // keep the buffer: the next stream through this state allocates nothing
    }
}
