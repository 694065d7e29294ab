namespace SafetyLayers;

/// <summary>Scans one text window into findings; the seam between the guard layers and the scanning engine.</summary>
/// <remarks>
/// Implementations are immutable and thread-safe. <see cref="Scan(ReadOnlySpan{char})"/> returns findings ordered by
/// <see cref="TextFinding.Index"/> (longer first at the same index), with spans in the scanned text, and may throw: the
/// layers treat an exception as a guard failure (fail closed unless configured otherwise).
/// </remarks>
internal abstract class TextScanner
{
    /// <summary>Gets the longest text one finding can cover; a streaming filter holds back this many characters.</summary>
    public abstract int MaxMatchLength { get; }

    /// <summary>
    /// Gets how many characters at the end of a streamed text are held when no longer match is pending, and how much already emitted
    /// text a rescan needs before the held text (look-behinds, word boundaries, a match that began there). At most <see cref="MaxMatchLength"/>.
    /// </summary>
    public virtual int ShortMatchLength => MaxMatchLength;

    /// <summary>
    /// Returns the earliest index of <paramref name="window"/> at which a match the window cannot settle yet could start: findings
    /// that start before it are final. The default, <c>window.Length - MaxMatchLength</c>, holds back the longest match everywhere.
    /// </summary>
    /// <param name="window">The text seen so far: emitted context followed by the held text.</param>
    /// <param name="from">The first held index: no unfinished match starts before it.</param>
    /// <param name="stableBelow">
    /// Receives a window length up to which (exclusive) the result stays the same when text is only appended, so a caller may skip
    /// the next calls; <c>window.Length + 1</c> when it may change with the next character.
    /// </param>
    public virtual int EarliestPendingStart(ReadOnlySpan<char> window, int from, out int stableBelow)
    {
        stableBelow = window.Length + 1;
        return window.Length - MaxMatchLength;
    }

    /// <summary>Scans <paramref name="text"/>.</summary>
    public abstract TextScan Scan(ReadOnlySpan<char> text);

    /// <summary>Gets a scanner without rules: every text is allowed.</summary>
    public static TextScanner Empty { get; } = new EmptyScanner();

    private sealed class EmptyScanner : TextScanner
    {
        public override int MaxMatchLength => 0;

        public override TextScan Scan(ReadOnlySpan<char> text) => default;
    }
}
