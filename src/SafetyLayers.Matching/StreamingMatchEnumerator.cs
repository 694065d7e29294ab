namespace SafetyLayers.Matching;

/// <summary>Enumerates the matches that one chunk of a stream completes, without allocating.</summary>
/// <remarks>
/// Obtained from <see cref="PatternSet.EnumerateMatches(ref StreamingScanState, ReadOnlySpan{char}, bool)"/>; use it with
/// <see langword="foreach"/> and enumerate it to the end before feeding the next chunk.
/// </remarks>
public ref struct StreamingMatchEnumerator
{
    private readonly PatternSet _set;
    private readonly ref StreamingScanState _state;

    internal StreamingMatchEnumerator(PatternSet set, ref StreamingScanState state, ReadOnlySpan<char> chunk, bool isFinalBlock)
    {
        _set = set;
        _state = ref state;
        Chunk = chunk;
        ChunkStart = state.Position;
        IsFinalBlock = isFinalBlock;
    }

    /// <summary>Gets the match at the current position of the enumerator.</summary>
    /// <remarks><see cref="PatternMatch.Index"/> is relative to the start of the chunk, and negative when the match began earlier.</remarks>
    public PatternMatch Current { readonly get; internal set; }

    internal readonly ref StreamingScanState State => ref _state;

    internal ReadOnlySpan<char> Chunk { get; }

    internal long ChunkStart { get; }

    internal bool IsFinalBlock { get; }

    internal bool Done { get; set; }

    internal int ListPosition { get; set; }

    internal int ListEnd { get; set; }

    internal long MatchEnd { get; set; }

    /// <summary>Returns this enumerator, so that it can be used with <see langword="foreach"/>.</summary>
    /// <returns>This enumerator.</returns>
    public readonly StreamingMatchEnumerator GetEnumerator() => this;

    /// <summary>Advances to the next match that this chunk completes.</summary>
    /// <returns><see langword="true"/> if there is a next match; <see langword="false"/> when the chunk is consumed.</returns>
    public bool MoveNext() => _set is not null && _set.MoveNext(ref this);
}
