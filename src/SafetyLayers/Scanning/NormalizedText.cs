using System.Buffers;

namespace SafetyLayers.Scanning;

/// <summary>A normalized copy of a text with, for every normalized character, the original characters it came from.</summary>
/// <remarks>
/// The buffers come from <see cref="NormalizationBuffers"/> (a per-thread cache over <see cref="ArrayPool{T}"/>) and go back in <see cref="Dispose"/>, so normalizing
/// allocates nothing once the pool is warm. Normalized character <c>i</c> came from the original range
/// <c>[OriginalStart(i), OriginalEnd(i))</c>; ranges never decrease, and characters produced by one original code point
/// (an NFKC expansion such as "ﬁ" → "fi") share its range. When no step changed the length of the text (plain ASCII prose),
/// the map is the identity and is not written; when collapsing runs of spaces was the only change, it holds one record per
/// run (<see cref="OffsetMap"/>).
/// </remarks>
internal ref struct NormalizedText
{
    private char[]? _chars;
    private int[]? _starts;
    private int[]? _ends;
    private readonly int _length;
    private readonly bool _identity;
    private readonly int _collapsedRuns;
    private readonly NormalizationBuffers? _owner;

    /// <summary>Initializes a normalized text over rented buffers.</summary>
    /// <param name="chars">The normalized characters.</param>
    /// <param name="starts">The first original character of each normalized one; or, with <paramref name="collapsedRuns"/>, the runs' records.</param>
    /// <param name="ends">Just past the last original character of each normalized one.</param>
    /// <param name="length">The number of normalized characters.</param>
    /// <param name="identity">Whether no per-character map was written.</param>
    /// <param name="collapsedRuns">With <paramref name="identity"/>, the number of runs of spaces collapsed (<see cref="OffsetMap.WithCollapsedRuns"/>).</param>
    /// <param name="owner">The per-thread cache the buffers came from, or <see langword="null"/>.</param>
    internal NormalizedText(char[] chars, int[] starts, int[] ends, int length, bool identity, int collapsedRuns, NormalizationBuffers? owner)
    {
        _owner = owner;
        _chars = chars;
        _starts = starts;
        _ends = ends;
        _length = length;
        _identity = identity;
        _collapsedRuns = identity ? collapsedRuns : 0;
    }

    /// <summary>Gets the normalized text.</summary>
    public readonly ReadOnlySpan<char> Text => _chars is null ? default : _chars.AsSpan(0, _length);

    /// <summary>Gets where each normalized character came from in the original text.</summary>
    public readonly OffsetMap Map =>
        _starts is null ? default
        : !_identity ? new OffsetMap(_starts.AsSpan(0, _length), _ends.AsSpan(0, _length))
        : _collapsedRuns > 0 ? OffsetMap.WithCollapsedRuns(_starts.AsSpan(0, 2 * _collapsedRuns))
        : default;

    /// <summary>Gets a value indicating whether the letter-spacing step found a run of letters written one by one and joined it.</summary>
    public bool CollapsedLetterSpacing { readonly get; init; }

    /// <summary>Gets a value indicating whether the leetspeak step replaced a character.</summary>
    public bool MappedLeetspeak { readonly get; init; }

    /// <summary>Gets whether the original text is ASCII (every character below U+0080).</summary>
    public bool OriginalIsAscii { readonly get; init; }

    /// <summary>Gets what the first pass found in the original text: <see cref="AsciiTextFacts.Unknown"/> unless it is ASCII.</summary>
    public AsciiTextFacts OriginalFacts { readonly get; init; }

    /// <summary>Gets a value indicating whether normalized character <c>i</c> came from original character <c>i</c>, for every <c>i</c>.</summary>
    /// <remarks>
    /// For ASCII text with no leetspeak replaced, the normalized text is then the original with only case folding and white space
    /// mapped to spaces (the other steps only act on non-ASCII characters or change the length).
    /// </remarks>
    public readonly bool IsIdentityMap => _identity && _collapsedRuns == 0;

    /// <summary>Gets the number of normalized characters.</summary>
    public readonly int Length => _length;

    /// <summary>Returns the index of the first original character behind normalized character <paramref name="index"/>.</summary>
    public readonly int OriginalStart(int index) => Map.Start(index);

    /// <summary>Returns the index just past the last original character behind normalized character <paramref name="index"/>.</summary>
    public readonly int OriginalEnd(int index) => Map.End(index);

    /// <summary>Maps a non-empty range of the normalized text to the range of original characters it came from.</summary>
    public readonly (int Index, int Length) MapToOriginal(int index, int length)
    {
        int start = OriginalStart(index);
        return (start, OriginalEnd(index + length - 1) - start);
    }

    /// <summary>Returns the rented buffers to the pool.</summary>
    public void Dispose()
    {
        if (_chars is not null)
        {
            NormalizationBuffers.Return(_owner, _chars, _starts!, _ends!);
            _chars = null;
            _starts = null;
            _ends = null;
        }
    }
}
