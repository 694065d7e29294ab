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
