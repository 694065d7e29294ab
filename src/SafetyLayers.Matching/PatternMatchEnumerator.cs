namespace SafetyLayers.Matching;

/// <summary>Enumerates the matches of a <see cref="PatternSet"/> in a text, without allocating.</summary>
/// <remarks>Obtained from <see cref="PatternSet.EnumerateMatches(ReadOnlySpan{char})"/>; use it with <see langword="foreach"/>.</remarks>
public ref struct PatternMatchEnumerator
{
    private readonly PatternSet _set;

    internal PatternMatchEnumerator(PatternSet set, ReadOnlySpan<char> text)
    {
        _set = set;
        Text = text;
        State = set.StartState;
    }

    /// <summary>Gets the match at the current position of the enumerator.</summary>
    public PatternMatch Current { readonly get; internal set; }

    internal ReadOnlySpan<char> Text { get; }

    internal int Position { get; set; }

    internal int State { get; set; }

    internal int ListPosition { get; set; }

    internal int ListEnd { get; set; }

    internal int MatchEnd { get; set; }

    /// <summary>Gets or sets how many times a leftmost scan walked windows in four streams.</summary>
    internal int MultiStreamCalls { get; set; }

    /// <summary>Gets or sets how many characters those walks skipped in total.</summary>
    internal long MultiStreamSkipped { get; set; }

    /// <summary>
    /// Gets a value indicating whether walking windows in four streams still pays in this scan: after 8 walks, they must have
    /// skipped half a window each on average. Where matches are closer than that, the streams after the first mostly read
    /// text past the next match, for nothing.
    /// </summary>
    internal readonly bool MultiStreamPays => MultiStreamCalls < 8 || MultiStreamSkipped * 2 >= (long)MultiStreamCalls * PatternSet.WindowLength;

#pragma warning disable SA1401, CA1051 // a mutable struct field, updated in place by the scan loops
    internal Prefilters.PrefilterStats PrefilterStats;
#pragma warning restore SA1401, CA1051

    /// <summary>Returns this enumerator, so that it can be used with <see langword="foreach"/>.</summary>
    /// <returns>This enumerator.</returns>
    public readonly PatternMatchEnumerator GetEnumerator() => this;

    /// <summary>Advances to the next match.</summary>
    /// <returns><see langword="true"/> if there is a next match; <see langword="false"/> at the end of the text.</returns>
    public bool MoveNext() => _set is not null && _set.MoveNext(ref this);
}
