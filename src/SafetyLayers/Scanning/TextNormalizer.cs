using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;

namespace SafetyLayers.Scanning;

/// <summary>Normalizes text for matching and keeps an offset map back to the original (see <see cref="TextNormalization"/>).</summary>
/// <remarks>
/// <para>
/// Four passes. The first maps code points: format-character removal, NFKC (per code point, with the span APIs, so no
/// string is allocated), case folding, the confusables map, and white space to a space; runs of ASCII are copied and
/// lower-cased in bulk (vectorized), since none of those steps changes an ASCII character except case folding and
/// white space. The second collapses runs of spaces, the third maps leetspeak (only inside words that contain a letter,
/// so "2024" stays a number) and the fourth collapses letter spacing. Each of the last three first looks for a
/// place where it has work to do ("  ", a leetspeak character, a single letter) and returns when there is none. An ASCII
/// text, most chat, is folded and mapped in one vectorized pass that also finds the first "  " and leetspeak character.
/// </para>
/// <para>
/// The offset map stays the identity (no map is written) until a step changes the length of the text: plain ASCII prose
/// normalizes with one copy and a few vectorized searches. Collapsing runs of spaces in such a text keeps one record per run
/// (<see cref="OffsetMap"/>), not a map per character. A lone surrogate
/// (a malformed text, or one cut in the middle of a pair) is kept as it is; NFKC would throw on it. The output
/// is the same as that of the character-by-character algorithm the differential tests keep as their oracle.
/// Thread-safe and allocation-free apart from the pooled buffers.
/// </para>
/// </remarks>
internal static class TextNormalizer
{
    private const int MaxExpansion = 18; // the longest NFKC expansion of one code point (U+FDFA) is 18 UTF-16 units

    private const string LetterSpacingSeparators = " .-_*|/+~";
    private static readonly SearchValues<char> s_letterSpacingSeparators = SearchValues.Create(LetterSpacingSeparators);
    private static readonly SearchValues<char> s_leetCharacters = SearchValues.Create("01345789$");
    private static readonly SearchValues<char> s_asciiWhiteSpaceButSpace = SearchValues.Create("\t\n\v\f\r");

    /// <summary>Normalizes <paramref name="text"/> with <paramref name="steps"/>; the caller disposes the result.</summary>
    public static NormalizedText Normalize(ReadOnlySpan<char> text, TextNormalization steps)
    {
        var writer = new Writer(text.Length + MaxExpansion, steps);
        int asciiPrefix = writer.AppendAsciiPrefix(text, out AsciiTextFacts facts);
        bool ascii = asciiPrefix == text.Length;
        if (!ascii)
        {
            writer.MapCodePoints(text[asciiPrefix..], asciiPrefix);
            facts = AsciiTextFacts.Unknown;   // the prefix's facts do not cover what came after it
        }

        if ((steps & TextNormalization.CollapseWhitespace) != 0 && facts.FirstDoubleSpace >= 0)
        {
            writer.CollapseSpaces(facts.FirstDoubleSpace);
        }

        if ((steps & TextNormalization.Leetspeak) != 0 && facts.FirstLeet >= 0)
        {
            // Collapsing moved the characters after the first run of spaces to the left.
            writer.MapLeetspeak((steps & TextNormalization.CollapseWhitespace) != 0 && facts.FirstDoubleSpace >= 0 ? Math.Min(facts.FirstLeet, facts.FirstDoubleSpace) : facts.FirstLeet);
        }

        if ((steps & TextNormalization.CollapseLetterSpacing) != 0)
        {
            writer.CollapseLetterSpacing();
        }

        return writer.ToNormalizedText(ascii, facts);
    }

    /// <summary>Returns whether a code point is an invisible format character that normalization removes.</summary>
    /// <remarks>Zero-width characters, bidirectional controls, the soft hyphen, variation selectors, TAG characters and every other character of category Cf.</remarks>
    public static bool IsFormatCharacter(int codePoint)
    {
        if (codePoint < 0xAD)
        {
            return false;
        }

        if (codePoint is (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0000 and <= 0xE0FFF) or 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x034F)
        {
            return true;   // variation selectors, TAG characters and Hangul fillers: invisible, but not all are Cf
        }

        return CharUnicodeInfo.GetUnicodeCategory(codePoint) == UnicodeCategory.Format;
    }

    /// <summary>
    /// Returns the first index at or after <paramref name="start"/> of a separator followed by a letter that no letter follows
    /// (" a " in "x a b"), or -1: every run of two or more letters written one by one has one right before its second letter.
    /// </summary>
    /// <remarks>
    /// Vectorized: for 16 positions at a time, "is an ASCII non-letter" on the characters at the positions (every separator
    /// is one), "may be a letter" (an ASCII letter, or any non-ASCII character) one further and "may be a non-letter" (not an
    /// ASCII letter) two further are ANDed: what survives is the character before a one-letter word, rare in prose. In "it is
    /// a cat" only the space before "a" survives; each surviving position is then confirmed with the separators and
    /// <see cref="char.IsLetter(char)"/>, so non-ASCII text is exact too. The last vector ends with the text
    /// (overlapping the one before), so only the last two positions are left to the scalar loop, which is the reference; the
    /// tests compare both at every offset.
    /// </remarks>
    internal static int IndexOfSeparatedLetter(ReadOnlySpan<char> text, int start, string separators)
    {
        System.Diagnostics.Debug.Assert(
            !separators.AsSpan().ContainsAnyInRange('A', 'Z') && !separators.AsSpan().ContainsAnyInRange('a', 'z') && !separators.AsSpan().ContainsAnyExceptInRange('\0', '\u007F'),
            "The vector search assumes the separators are ASCII non-letters.");
        int i = Math.Max(start, 0);
        int last = text.Length - (Vector256<ushort>.Count + 2);   // the last position a whole vector (and the two after it) can start at
        if (Vector256.IsHardwareAccelerated && i <= last + Vector256<ushort>.Count && last >= 0)
        {
            Vector256<ushort> caseBit = Vector256.Create((ushort)0x20);
            Vector256<ushort> a = Vector256.Create((ushort)'a');
            Vector256<ushort> z = Vector256.Create((ushort)('z' - 'a'));
            Vector256<ushort> ascii = Vector256.Create((ushort)0x7F);
            ref ushort first = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
            while (i < last + Vector256<ushort>.Count)
            {
                // The text's tail is read by one more vector that ends where the text ends; positions before i are masked out.
                int at = Math.Min(i, last);
                Vector256<ushort> here = Vector256.LoadUnsafe(ref first, (nuint)at);
                Vector256<ushort> next = Vector256.LoadUnsafe(ref first, (nuint)(at + 1));
                Vector256<ushort> after = Vector256.LoadUnsafe(ref first, (nuint)(at + 2));
                Vector256<ushort> hereIsAsciiNonLetter = Vector256.AndNot(Vector256.LessThanOrEqual(here, ascii), Vector256.LessThanOrEqual((here | caseBit) - a, z));
                Vector256<ushort> nextMayBeLetter = Vector256.LessThanOrEqual((next | caseBit) - a, z) | Vector256.GreaterThan(next, ascii);
                Vector256<ushort> afterIsAsciiLetter = Vector256.LessThanOrEqual((after | caseBit) - a, z);
                uint candidates = Vector256.AndNot(hereIsAsciiNonLetter & nextMayBeLetter, afterIsAsciiLetter).ExtractMostSignificantBits() >> (i - at);
                while (candidates != 0)
                {
                    int candidate = i + BitOperations.TrailingZeroCount(candidates);
                    if (IsSeparatedLetter(text, candidate, separators))
                    {
                        return candidate;
                    }

                    candidates &= candidates - 1;
                }

                i = at + Vector256<ushort>.Count;
            }
        }

        return IndexOfSeparatedLetterScalar(text, i, separators);
    }

    /// <summary>The reference loop of <see cref="IndexOfSeparatedLetter"/>.</summary>
    internal static int IndexOfSeparatedLetterScalar(ReadOnlySpan<char> text, int start, string separators)
    {
        for (int i = Math.Max(start, 0); i < text.Length - 1; i++)
        {
            if (IsSeparatedLetter(text, i, separators))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsSeparatedLetter(ReadOnlySpan<char> text, int i, string separators) =>
        char.IsLetter(text[i + 1]) && (i + 2 == text.Length || !char.IsLetter(text[i + 2])) && separators.Contains(text[i], StringComparison.Ordinal);

    /// <summary>
    /// Returns the first place at or after <paramref name="start"/> where four letters spaced out may begin: each of the
    /// characters at it and two, four and six further may be a letter (an ASCII letter, or any non-ASCII character) and has
    /// no ASCII letter on either side; or -1. Every run of four single letters with one separator between each two begins
    /// at such a place, and prose has few of them, so <see cref="Writer.CollapseLetterSpacing"/> looks for runs there only.
    /// </summary>
    /// <remarks>
    /// Vectorized over blocks of 64 characters: two bit masks (ASCII letter; ASCII letter or non-ASCII) and a few shifts of
    /// them give the places of a block. A block starts one character before the first place it answers for and answers for
    /// 56 places, whose six characters after them and the neighbours of those it holds; the last block ends with the text. The
    /// first block of a text of a block or more starts with the text (nothing before it counts as no letter, as at the text's
    /// start); a shorter text is copied behind a space and padded with spaces, which stand for its ends. Without vector hardware,
    /// the scalar reference loop; the tests compare both at every offset.
    /// </remarks>
    internal static int IndexOfSpacedLetters(ReadOnlySpan<char> text, int start)
    {
        const int Block = 64;
        const int Places = Block - 8;   // the places a block answers for: each needs the 7 characters after it and 1 before
        const ulong PlacesMask = (1UL << Places) - 1;
        start = Math.Max(start, 0);
        if (text.Length - start < 7)
        {
            return -1;   // too short for four letters spaced out
        }

        if (!Vector256.IsHardwareAccelerated)
        {
            return IndexOfSpacedLettersScalar(text, start);
        }

        if (start < Places && text.Length >= Block)
        {
            // The first block starts with the text: nothing before its first character counts as no letter, as at the text's start.
            ulong first = (SpacedLetterPlaces(ref MemoryMarshal.GetReference(text)) & PlacesMask) >> start;   // bit k: place start + k
            if (first != 0)
            {
                return start + BitOperations.TrailingZeroCount(first);
            }

            start = Places;
        }
        else if (start < Places || text.Length < Block)
        {
            Span<char> padded = stackalloc char[Block];
            int copied = Math.Min(text.Length, Block - 1);
            padded[0] = ' ';
            text[..copied].CopyTo(padded[1..]);
            padded[(copied + 1)..].Fill(' ');
            ulong first = SpacedLetterPlaces(ref MemoryMarshal.GetReference(padded)) >> 1;   // bit k: place k
            if (text.Length >= Block)
            {
                first &= PlacesMask;   // later places need characters past the copy
            }

            first >>= start;
            if (first != 0)
            {
                return start + BitOperations.TrailingZeroCount(first);
            }

            if (text.Length < Block)
            {
                return -1;
            }

            start = Places;
        }

        ref char chars = ref MemoryMarshal.GetReference(text);
        int lastPlace = text.Length - (Block - 1);   // the first place of the block that ends with the text
        for (int i = start; ; i += Places)
        {
            int at = Math.Min(i, lastPlace);
            ulong places = SpacedLetterPlaces(ref Unsafe.Add(ref chars, at - 1)) >> 1;   // bit k: place at + k
            if (at < lastPlace)
            {
                places &= PlacesMask;
            }

            places >>= i - at;   // places before i were answered by the block before
            if (places != 0)
            {
                return i + BitOperations.TrailingZeroCount(places);
            }

            if (at == lastPlace)
            {
                return -1;
            }
        }
    }

    /// <summary>The reference loop of <see cref="IndexOfSpacedLetters"/>.</summary>
    internal static int IndexOfSpacedLettersScalar(ReadOnlySpan<char> text, int start)
    {
        for (int i = Math.Max(start, 0); i + 6 < text.Length; i++)
        {
            if (MayBeSingleLetter(text, i) && MayBeSingleLetter(text, i + 2) && MayBeSingleLetter(text, i + 4) && MayBeSingleLetter(text, i + 6))
            {
                return i;
            }
        }

        return -1;

        static bool MayBeSingleLetter(ReadOnlySpan<char> text, int i) =>
            (char.IsAsciiLetter(text[i]) || text[i] > '\u007F')
            && (i == 0 || !char.IsAsciiLetter(text[i - 1]))
            && (i + 1 == text.Length || !char.IsAsciiLetter(text[i + 1]));
    }

    /// <summary>The places in the 64 characters at <paramref name="block"/> (bit k for character k) that <see cref="IndexOfSpacedLetters"/> looks for.</summary>
    private static ulong SpacedLetterPlaces(ref char block)
    {
        ref ushort at = ref Unsafe.As<char, ushort>(ref block);
        ulong letters, others;
        if (Vector512.IsHardwareAccelerated)
        {
            (uint low, uint lowOthers) = LetterBits(Vector512.LoadUnsafe(ref at));
            (uint high, uint highOthers) = LetterBits(Vector512.LoadUnsafe(ref at, 32));
            letters = low | ((ulong)high << 32);
            others = lowOthers | ((ulong)highOthers << 32);
        }
        else
        {
            letters = 0;
            others = 0;
            for (int k = 0; k < 4; k++)
            {
                Vector256<ushort> chars = Vector256.LoadUnsafe(ref at, (nuint)(16 * k));
                letters |= (ulong)Vector256.LessThanOrEqual((chars | Vector256.Create((ushort)0x20)) - Vector256.Create((ushort)'a'), Vector256.Create((ushort)('z' - 'a'))).ExtractMostSignificantBits() << (16 * k);
                others |= (ulong)Vector256.GreaterThan(chars, Vector256.Create((ushort)0x7F)).ExtractMostSignificantBits() << (16 * k);
            }
        }

        // A single letter: may be a letter, and neither neighbour is an ASCII letter (outside the block counts as none, which
        // only adds places). Four of them, two apart.
        ulong single = (letters | others) & ~(letters << 1) & ~(letters >> 1);
        return single & (single >> 2) & (single >> 4) & (single >> 6);

        static (uint Letters, uint Others) LetterBits(Vector512<ushort> chars) => (
            (uint)Vector512.LessThanOrEqual((chars | Vector512.Create((ushort)0x20)) - Vector512.Create((ushort)'a'), Vector512.Create((ushort)('z' - 'a'))).ExtractMostSignificantBits(),
            (uint)Vector512.GreaterThan(chars, Vector512.Create((ushort)0x7F)).ExtractMostSignificantBits());
    }

    /// <summary>
    /// Applies the per-code-point steps to one code point (<paramref name="source"/>: one character, or a surrogate pair):
    /// format characters are removed (TAG characters become the ASCII they smuggle), NFKC may expand it, and each
    /// character is folded to lower case, mapped from a look-alike and from white space to a space, as the steps say.
    /// </summary>
    /// <returns>The number of characters written to <paramref name="output"/> (room for <c>2 * MaxExpansion</c>); 0 when removed.</returns>
    internal static int MapCodePoint(ReadOnlySpan<char> source, TextNormalization steps, Span<char> output)
    {
        int codePoint = source.Length == 2 ? char.ConvertToUtf32(source[0], source[1]) : source[0];
        if ((steps & TextNormalization.RemoveFormatCharacters) != 0)
        {
            if (codePoint is >= 0xE0020 and <= 0xE007E)
            {
                output[0] = Transform((char)(codePoint - 0xE0000), steps);   // ASCII smuggled in TAG characters
                return 1;
            }

            if (IsFormatCharacter(codePoint))
            {
                return 0;
            }
        }

        int written;
        if ((steps & TextNormalization.Nfkc) != 0 && (source.Length == 2 || !char.IsSurrogate(source[0])) && !IsNoncharacter(codePoint) && !source.IsNormalized(NormalizationForm.FormKC)
            && source.TryNormalize(output, out written, NormalizationForm.FormKC))
        {
            for (int k = 0; k < written; k++)
            {
                output[k] = Transform(output[k], steps);
            }

            return written;
        }

        for (written = 0; written < source.Length; written++)
        {
            output[written] = Transform(source[written], steps);
        }

        return written;
    }

    /// <summary>
    /// Returns whether a code point is a noncharacter (U+FDD0 to U+FDEF, and the last two of every plane): NFKC leaves them
    /// as they are, but the runtime's normalization APIs reject U+FFFE with an exception, which made a text holding it fail
    /// to scan.
    /// </summary>
    internal static bool IsNoncharacter(int codePoint) => (codePoint & 0xFFFE) == 0xFFFE || codePoint is >= 0xFDD0 and <= 0xFDEF;

    /// <summary>Folds case, maps a look-alike and maps white space to a space, as <paramref name="steps"/> say.</summary>
    private static char Transform(char c, TextNormalization steps)
    {
        if ((steps & TextNormalization.CaseFold) != 0)
        {
            c = char.ToLowerInvariant(c);
        }

        if ((steps & TextNormalization.Confusables) != 0)
        {
            c = Confusables.Map(c);
        }

        return (steps & TextNormalization.CollapseWhitespace) != 0 && char.IsWhiteSpace(c) ? ' ' : c;
    }

    /// <summary>Returns whether <paramref name="c"/> is a leetspeak character and the letter it stands for.</summary>
    internal static bool TryMapLeet(char c, out char letter)
    {
        letter = c switch
        {
            '0' => 'o',
            '1' => 'i',
            '3' => 'e',
            '4' => 'a',
            '5' => 's',
            '7' => 't',
            '8' => 'b',
            '9' => 'g',
            '$' => 's',
            _ => '\0',
        };
        return letter != '\0';
    }

    private struct Writer
    {
        private readonly TextNormalization _steps;
        private char[] _chars;
        private int[] _starts;
        private int[] _ends;
        private readonly NormalizationBuffers? _owner;
        private int _count;
        private bool _collapsedLetterSpacing;
        private bool _mappedLeetspeak;
        private bool _identity;   // normalized character i came from original character i; _starts and _ends are not written
        private int _collapsedRuns;   // with _identity: runs of spaces collapsed, one record each in _starts (OffsetMap.WithCollapsedRuns)

        public Writer(int capacity, TextNormalization steps)
        {
            _steps = steps;
            _owner = NormalizationBuffers.Rent(capacity, out _chars, out _starts, out _ends);
            _count = 0;
            _identity = true;
        }

        /// <summary>Applies the per-code-point steps to <paramref name="text"/>, which starts at <paramref name="offset"/> in the original text.</summary>
        public void MapCodePoints(ReadOnlySpan<char> text, int offset)
        {
            Span<char> output = stackalloc char[MaxExpansion * 2];
            ushort[]? bmp = null;
            byte[]? plane1 = null;
            int i = 0;
            while (i < text.Length)
            {
                int runEnd = i;
                if (text[i] <= '\u007F')
                {
                    // Only where ASCII begins: in text of another script, a search per character would cost more than it finds.
                    int run = text[i..].IndexOfAnyExceptInRange('\0', '\u007F');
                    runEnd = run < 0 ? text.Length : i + run;
                }

                if (runEnd > i)
                {
                    AppendAscii(text[i..runEnd], offset + i);
                    i = runEnd;
                    if (i == text.Length)
                    {
                        break;
                    }
                }

                char c = text[i];
                int length = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
                ReadOnlySpan<char> source = text.Slice(i, length);
                int written;
                if (length == 1 && !char.IsSurrogate(c))
                {
                    bmp ??= CodePointMaps.Bmp(_steps);
                    ushort entry = bmp[c];
                    if (entry == CodePointMaps.Unknown)
                    {
                        written = MapCodePoint(source, _steps, output);
                        bmp[c] = written == 0 ? CodePointMaps.Removed : written == 1 && output[0] < CodePointMaps.Removed && output[0] != CodePointMaps.Unknown ? output[0] : CodePointMaps.Full;
                    }
                    else if (entry == CodePointMaps.Full)
                    {
                        written = MapCodePoint(source, _steps, output);
                    }
                    else
                    {
                        written = entry == CodePointMaps.Removed ? 0 : 1;
                        output[0] = (char)entry;
                    }
                }
                else if (length == 2 && c < '\uD840')
                {
                    // A pair of plane 1 (high surrogates D800 to D83F).
                    plane1 ??= CodePointMaps.Plane1(_steps);
                    int index = char.ConvertToUtf32(c, text[i + 1]) - 0x10000;
                    if (plane1[index] == CodePointMaps.Kept)
                    {
                        source.CopyTo(output);
                        written = 2;
                    }
                    else
                    {
                        written = MapCodePoint(source, _steps, output);
                        plane1[index] = written == 2 && output[..2].SequenceEqual(source) ? CodePointMaps.Kept : CodePointMaps.Changed;
                    }
                }
                else
                {
                    written = MapCodePoint(source, _steps, output);
                }

                foreach (char mapped in output[..written])
                {
                    Append(mapped, offset + i, offset + i + length);
                }

                i += length;
            }
        }

        /// <summary>Turns every run of spaces (white space became spaces when the code points were mapped) into one space covering the whole run.</summary>
        /// <param name="from">Where to look for the first run: no run starts before it.</param>
        public void CollapseSpaces(int from)
        {
            int first = _chars.AsSpan(from, _count - from).IndexOf("  ");
            first = first < 0 ? -1 : from + first;
            if (first < 0)
            {
                return;
            }

            if (_identity)
            {
                CollapseSpacesOfIdentity(first);
                return;
            }

            // Block by block: between two runs the characters move together (vectorized copies), and each run's first
            // space stays and covers the whole run in the offset map.
            int write = first + 1;
            int read = first + 1;
            while (read < _count)
            {
                int afterRun = _chars.AsSpan(read, _count - read).IndexOfAnyExcept(' ');
                int runEnd = afterRun < 0 ? _count : read + afterRun;
                _ends[write - 1] = _ends[runEnd - 1];   // the kept space now covers the whole run
                if (runEnd == _count)
                {
                    break;
                }

                int next = _chars.AsSpan(runEnd, _count - runEnd).IndexOf("  ");
                int blockEnd = next < 0 ? _count : runEnd + next + 1;   // up to and with the first space of the next run
                int length = blockEnd - runEnd;
                _chars.AsSpan(runEnd, length).CopyTo(_chars.AsSpan(write));
                _starts.AsSpan(runEnd, length).CopyTo(_starts.AsSpan(write));
                _ends.AsSpan(runEnd, length).CopyTo(_ends.AsSpan(write));
                write += length;
                read = blockEnd;
            }

            _count = write;
        }

        /// <summary>
        /// <see cref="CollapseSpaces"/> for a text nothing else has moved (the first run's first space at <paramref name="first"/>):
        /// only the characters move, and each run leaves a record (its kept space, the spaces dropped so far) instead of two
        /// numbers per character.
        /// </summary>
        private void CollapseSpacesOfIdentity(int first)
        {
            int write = first + 1;
            int read = first + 1;
            int dropped = 0;
            int runs = 0;
            while (read < _count)
            {
                int afterRun = _chars.AsSpan(read, _count - read).IndexOfAnyExcept(' ');
                int runEnd = afterRun < 0 ? _count : read + afterRun;
                dropped += runEnd - read;
                _starts[2 * runs] = write - 1;
                _starts[(2 * runs) + 1] = dropped;
                runs++;
                if (runEnd == _count)
                {
                    break;
                }

                int next = _chars.AsSpan(runEnd, _count - runEnd).IndexOf("  ");
                int blockEnd = next < 0 ? _count : runEnd + next + 1;   // up to and with the first space of the next run
                _chars.AsSpan(runEnd, blockEnd - runEnd).CopyTo(_chars.AsSpan(write));
                write += blockEnd - runEnd;
                read = blockEnd;
            }

            _count = write;
            _collapsedRuns = runs;
        }

        /// <param name="from">Where to look for the first leetspeak character: none is before it.</param>
        public void MapLeetspeak(int from)
        {
            Span<char> chars = _chars.AsSpan(0, _count);
            int next = from >= chars.Length ? -1 : chars[from..].IndexOfAny(s_leetCharacters);
            next = next < 0 ? -1 : from + next;
            while (next >= 0)
            {
                // The maximal run of letters and leetspeak characters around this one; mapped when it contains a letter.
                int start = next;
                while (start > 0 && IsLeetWordChar(chars[start - 1]))
                {
                    start--;
                }

                int end = next + 1;
                while (end < chars.Length && IsLeetWordChar(chars[end]))
                {
                    end++;
                }

                bool hasLetter = false;
                foreach (char c in chars[start..end])
                {
                    if (char.IsLetter(c))
                    {
                        hasLetter = true;
                        break;
                    }
                }

                if (hasLetter)
                {
                    for (int k = start; k < end; k++)
                    {
                        if (TryMapLeet(chars[k], out char letter))
                        {
                            chars[k] = letter;
                            _mappedLeetspeak = true;
                        }
                    }
                }

                int after = end < chars.Length ? chars[end..].IndexOfAny(s_leetCharacters) : -1;
                next = after < 0 ? -1 : end + after;
            }
        }

        public void CollapseLetterSpacing()
        {
            // Phase 1 marks the separators of every run "single letter (separator single letter)+" that has at least
            // four single letters; marking keeps them non-letters, so later runs are judged on the same text. Runs are
            // looked for only where four letters spaced out may begin (IndexOfSpacedLetters): in prose, nowhere.
            // Phase 2 compacts the buffers without the marked separators.
            const char Removed = '\uFFFF';
            Span<char> chars = _chars.AsSpan(0, _count);
            bool any = false;
            int i = 0;
            while (true)
            {
                // A run of four single letters or more begins where four letters spaced out may begin.
                i = IndexOfSpacedLetters(chars, i);
                if (i < 0)
                {
                    break;
                }

                int singles = 0;
                int j = i;
                while (IsSingleLetter(chars, j))
                {
                    singles++;
                    if (j + 2 < chars.Length && s_letterSpacingSeparators.Contains(chars[j + 1]) && IsSingleLetter(chars, j + 2))
                    {
                        j += 2;
                    }
                    else
                    {
                        break;
                    }
                }

                if (singles >= 4)
                {
                    for (int k = i + 1; k < j; k += 2)
                    {
                        chars[k] = Removed;
                    }

                    any = true;
                    i = j + 1;
                }
                else
                {
                    i++;
                }
            }

            if (!any)
            {
                return;
            }

            _collapsedLetterSpacing = true;
            MaterializeMap();
            int write = 0;
            for (int read = 0; read < chars.Length; read++)
            {
                if (chars[read] != Removed)
                {
                    Move(read, write++);
                }
            }

            _count = write;
        }

        public readonly NormalizedText ToNormalizedText(bool originalIsAscii, AsciiTextFacts facts) =>
            new(_chars, _starts, _ends, _count, _identity, _collapsedRuns, _owner)
            {
                CollapsedLetterSpacing = _collapsedLetterSpacing, MappedLeetspeak = _mappedLeetspeak, OriginalIsAscii = originalIsAscii, OriginalFacts = facts,
            };

        /// <summary>
        /// Appends the longest prefix of <paramref name="text"/> that is ASCII, folded to lower case and with white space mapped
        /// to spaces as the steps say, and returns its length. One vectorized pass does what <see cref="AppendAscii"/> and the
        /// searches of the next steps and of some detectors would do in several, and gathers <paramref name="facts"/>, which
        /// hold when the whole text is ASCII.
        /// </summary>
        public int AppendAsciiPrefix(ReadOnlySpan<char> text, out AsciiTextFacts facts)
        {
            System.Diagnostics.Debug.Assert(_count == 0 && _identity, "The prefix is the first thing written, under the identity map.");
            bool fold = (_steps & TextNormalization.CaseFold) != 0;
            bool spaces = (_steps & TextNormalization.CollapseWhitespace) != 0;
            Span<char> destination = _chars.AsSpan(0, text.Length);
            facts = AsciiTextFacts.Nothing;
            int run = 0;   // characters other than white space right before i
            int i = Vector256.IsHardwareAccelerated && text.Length >= Vector256<ushort>.Count
                ? AppendAsciiVectors(text, destination, fold, spaces, ref facts, ref run)
                : 0;

            // Short texts, and the vector where a non-ASCII character stopped the vectorized pass.
            bool previousIsSpace = i > 0 && IsWhiteSpace(text[i - 1]);
            for (; i < text.Length; i++)
            {
                char c = text[i];
                if (c > '\u007F')
                {
                    break;
                }

                bool isSpace = IsWhiteSpace(c);
                destination[i] = isSpace && spaces ? ' ' : fold && char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c;
                if (isSpace && previousIsSpace && facts.FirstDoubleSpace < 0)
                {
                    facts.FirstDoubleSpace = i - 1;
                }

                previousIsSpace = isSpace;
                if (facts.FirstLeet < 0 && TryMapLeet(c, out _))
                {
                    facts.FirstLeet = i;
                }

                facts.HasPercent |= c == '%';
                run = isSpace ? 0 : run + 1;
                if (run >= Vector256<ushort>.Count)
                {
                    facts.LongRunWithoutWhiteSpace = Math.Max(facts.LongRunWithoutWhiteSpace, run);
                }
            }

            _count = i;
            return i;
        }

        /// <summary>
        /// The vectorized pass of <see cref="AppendAsciiPrefix"/> over a text of at least one vector: returns the text's length, or
        /// where the vector that holds the first non-ASCII character starts. The last vector ends with the text, overlapping the
        /// one before: it rewrites the same characters, what it finds in the overlap was found already, and a run it extends may
        /// count the overlap twice.
        /// </summary>
        private static int AppendAsciiVectors(ReadOnlySpan<char> text, Span<char> destination, bool fold, bool spaces, ref AsciiTextFacts facts, ref int run)
        {
            ref ushort source = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
            ref ushort target = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(destination));
            Vector256<ushort> caseBit = Vector256.Create((ushort)(fold ? 0x20 : 0));
            Vector256<ushort> space = Vector256.Create((ushort)' ');
            Vector256<ushort> percent = Vector256<ushort>.Zero;
            int last = text.Length - Vector256<ushort>.Count;
            for (int i = 0; ; i += Vector256<ushort>.Count)
            {
                int at = Math.Min(i, last);
                Vector256<ushort> chars = Vector256.LoadUnsafe(ref source, (nuint)at);
                if (Vector256.GreaterThanAny(chars, Vector256.Create((ushort)0x7F)))
                {
                    return at;
                }

                Vector256<ushort> upper = Vector256.LessThanOrEqual(chars - Vector256.Create((ushort)'A'), Vector256.Create((ushort)('Z' - 'A')));
                Vector256<ushort> otherWhiteSpace = Vector256.LessThanOrEqual(chars - Vector256.Create((ushort)'\t'), Vector256.Create((ushort)('\r' - '\t')));
                Vector256<ushort> lower = chars | (upper & caseBit);
                (spaces ? Vector256.ConditionalSelect(otherWhiteSpace, space, lower) : lower).StoreUnsafe(ref target, (nuint)at);
                uint isSpace = (Vector256.Equals(chars, space) | otherWhiteSpace).ExtractMostSignificantBits();
                if (isSpace == 0)
                {
                    run += Vector256<ushort>.Count;
                    facts.LongRunWithoutWhiteSpace = Math.Max(facts.LongRunWithoutWhiteSpace, run);
                }
                else
                {
                    int before = run + BitOperations.TrailingZeroCount(isSpace);
                    facts.LongRunWithoutWhiteSpace = before >= Vector256<ushort>.Count ? Math.Max(facts.LongRunWithoutWhiteSpace, before) : facts.LongRunWithoutWhiteSpace;
                    run = BitOperations.LeadingZeroCount(isSpace << Vector256<ushort>.Count);   // white-space-free characters at the vector's end
                    if (facts.FirstDoubleSpace < 0)
                    {
                        uint pairs = isSpace & ((isSpace << 1) | (at > 0 && IsWhiteSpace(text[at - 1]) ? 1u : 0u));   // bit k: k - 1 and k
                        if (pairs != 0)
                        {
                            facts.FirstDoubleSpace = at + BitOperations.TrailingZeroCount(pairs) - 1;
                        }
                    }
                }

                if (facts.FirstLeet < 0)
                {
                    Vector256<ushort> digit = Vector256.LessThanOrEqual(chars - Vector256.Create((ushort)'0'), Vector256.Create((ushort)9));
                    Vector256<ushort> notLeet = Vector256.Equals(chars, Vector256.Create((ushort)'2')) | Vector256.Equals(chars, Vector256.Create((ushort)'6'));
                    uint leet = (Vector256.AndNot(digit, notLeet) | Vector256.Equals(chars, Vector256.Create((ushort)'$'))).ExtractMostSignificantBits();
                    if (leet != 0)
                    {
                        facts.FirstLeet = at + BitOperations.TrailingZeroCount(leet);
                    }
                }

                percent |= Vector256.Equals(chars, Vector256.Create((ushort)'%'));
                if (at == last)
                {
                    facts.HasPercent = percent != Vector256<ushort>.Zero;
                    return text.Length;
                }
            }
        }

        /// <summary>Returns whether <paramref name="c"/>, an ASCII character, is white space (which the steps may map to a space).</summary>
        private static bool IsWhiteSpace(char c) => c is ' ' or (>= '\t' and <= '\r');

        /// <summary>Appends a run of ASCII characters that starts at <paramref name="start"/> in the original text.</summary>
        private void AppendAscii(ReadOnlySpan<char> run, int start)
        {
            while (_count + run.Length > _chars.Length)
            {
                Grow();
            }

            Span<char> destination = _chars.AsSpan(_count, run.Length);
            if ((_steps & TextNormalization.CaseFold) != 0)
            {
                Ascii.ToLower(run, destination, out _);
            }
            else
            {
                run.CopyTo(destination);
            }

            if ((_steps & TextNormalization.CollapseWhitespace) != 0)
            {
                int space = destination.IndexOfAny(s_asciiWhiteSpaceButSpace);
                while (space >= 0)
                {
                    destination[space] = ' ';
                    int after = destination[(space + 1)..].IndexOfAny(s_asciiWhiteSpaceButSpace);
                    space = after < 0 ? -1 : space + 1 + after;
                }
            }

            if (_identity && _count != start)
            {
                MaterializeMap();
            }

            if (!_identity)
            {
                for (int k = 0; k < run.Length; k++)
                {
                    _starts[_count + k] = start + k;
                    _ends[_count + k] = start + k + 1;
                }
            }

            _count += run.Length;
        }

        /// <summary>Appends a character that the per-code-point steps produced from the original characters <c>[start, end)</c>.</summary>
        private void Append(char c, int start, int end)
        {
            if (_count == _chars.Length)
            {
                Grow();
            }

            if (_identity && (start != _count || end != start + 1))
            {
                MaterializeMap();
            }

            _chars[_count] = c;
            if (!_identity)
            {
                _starts[_count] = start;
                _ends[_count] = end;
            }

            _count++;
        }

        /// <summary>Writes the identity map of the characters so far, before the first step that moves characters.</summary>
        private void MaterializeMap()
        {
            if (!_identity)
            {
                return;
            }

            if (_collapsedRuns > 0)
            {
                MaterializeCollapsedRuns();
                return;
            }

            int k = 0;
            if (Vector256.IsHardwareAccelerated && _count >= Vector256<int>.Count)
            {
                Vector256<int> indices = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
                Vector256<int> one = Vector256<int>.One;
                Vector256<int> stride = Vector256.Create(Vector256<int>.Count);
                for (; k + Vector256<int>.Count <= _count; k += Vector256<int>.Count)
                {
                    indices.CopyTo(_starts.AsSpan(k));
                    (indices + one).CopyTo(_ends.AsSpan(k));
                    indices += stride;
                }
            }

            for (; k < _count; k++)
            {
                _starts[k] = k;
                _ends[k] = k + 1;
            }

            _identity = false;
        }

        /// <summary>Writes the map of a text whose runs of spaces were collapsed (rare: a later step moves characters too).</summary>
        private void MaterializeCollapsedRuns()
        {
            int[] records = ArrayPool<int>.Shared.Rent(2 * _collapsedRuns);
            _starts.AsSpan(0, 2 * _collapsedRuns).CopyTo(records);
            OffsetMap runs = OffsetMap.WithCollapsedRuns(records.AsSpan(0, 2 * _collapsedRuns));
            for (int k = 0; k < _count; k++)
            {
                _starts[k] = runs.Start(k);
                _ends[k] = runs.End(k);
            }

            ArrayPool<int>.Shared.Return(records);
            _collapsedRuns = 0;
            _identity = false;
        }

        private readonly void Move(int from, int to)
        {
            if (from != to)
            {
                _chars[to] = _chars[from];
                _starts[to] = _starts[from];
                _ends[to] = _ends[from];
            }
        }

        private static bool IsSingleLetter(ReadOnlySpan<char> chars, int i) =>
            (uint)i < (uint)chars.Length && char.IsLetter(chars[i])
            && (i == 0 || !char.IsLetter(chars[i - 1]))
            && (i + 1 == chars.Length || !char.IsLetter(chars[i + 1]));

        private static bool IsLeetWordChar(char c) => char.IsLetter(c) || TryMapLeet(c, out _);

        private void Grow()
        {
            int size = _chars.Length * 2;
            char[] chars = ArrayPool<char>.Shared.Rent(size);
            int[] starts = ArrayPool<int>.Shared.Rent(size);
            int[] ends = ArrayPool<int>.Shared.Rent(size);
            _chars.AsSpan(0, _count).CopyTo(chars);
            if (!_identity)
            {
                _starts.AsSpan(0, _count).CopyTo(starts);
                _ends.AsSpan(0, _count).CopyTo(ends);
            }
            else
            {
                _starts.AsSpan(0, 2 * _collapsedRuns).CopyTo(starts);
            }

            ArrayPool<char>.Shared.Return(_chars);
            ArrayPool<int>.Shared.Return(_starts);
            ArrayPool<int>.Shared.Return(_ends);
            _chars = chars;
            _starts = starts;
            _ends = ends;
        }
    }
}
