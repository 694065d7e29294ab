using System.Buffers;

namespace SafetyLayers.Scanning;

/// <summary>A normalized copy of a text with, for every normalized character, the original characters it came from.</summary>
/// <remarks>
/// The buffers come from <see cref="NormalizationBuffers"/> (a per-thread cache over <see cref="ArrayPool{T}"/>) and go back in <see cref="Dispose"/>, so normalizing
/// allocates nothing once the pool is warm. Normalized character <c>i</c> came from the original range
/// <c>[OriginalStart(i), OriginalEnd(i))</c>; ranges never decrease, and characters produced by one original code point
/// (an NFKC expansion such as "ﬁ" → "fi") share its range. When no step changed the length of the text (plain ASCII prose),
/// the map is the identity and is not written: <see cref="Starts"/> and <see cref="Ends"/> are then empty.
/// </remarks>
internal ref struct NormalizedText
{
    private char[]? _chars;
    private int[]? _starts;
    private int[]? _ends;
    private readonly int _length;
    private readonly bool _identity;
    private readonly NormalizationBuffers? _owner;

    internal NormalizedText(char[] chars, int[] starts, int[] ends, int length, bool identity, NormalizationBuffers? owner)
    {
        _owner = owner;
        _chars = chars;
        _starts = starts;
        _ends = ends;
        _length = length;
        _identity = identity;
    }

    /// <summary>Gets the normalized text.</summary>
    public readonly ReadOnlySpan<char> Text => _chars is null ? default : _chars.AsSpan(0, _length);

    /// <summary>Gets, for every normalized character, the index of the first original character behind it; empty when the map is the identity.</summary>
    public readonly ReadOnlySpan<int> Starts => _starts is null || _identity ? default : _starts.AsSpan(0, _length);

    /// <summary>Gets, for every normalized character, the index just past the last original character behind it; empty when the map is the identity.</summary>
    public readonly ReadOnlySpan<int> Ends => _ends is null || _identity ? default : _ends.AsSpan(0, _length);

    /// <summary>Gets a value indicating whether the letter-spacing step found a run of letters written one by one and joined it.</summary>
    public bool CollapsedLetterSpacing { readonly get; init; }

    /// <summary>Gets a value indicating whether the leetspeak step replaced a character.</summary>
    public bool MappedLeetspeak { readonly get; init; }

    /// <summary>Gets a value indicating whether normalized character <c>i</c> came from original character <c>i</c>, for every <c>i</c>.</summary>
    /// <remarks>
    /// For ASCII text with no leetspeak replaced, the normalized text is then the original with only case folding and white space
    /// mapped to spaces (the other steps only act on non-ASCII characters or change the length).
    /// </remarks>
    public readonly bool IsIdentityMap => _identity;

    /// <summary>Gets the number of normalized characters.</summary>
    public readonly int Length => _length;

    /// <summary>Returns the index of the first original character behind normalized character <paramref name="index"/>.</summary>
    public readonly int OriginalStart(int index) => _identity ? index : _starts![index];

    /// <summary>Returns the index just past the last original character behind normalized character <paramref name="index"/>.</summary>
    public readonly int OriginalEnd(int index) => _identity ? index + 1 : _ends![index];

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
