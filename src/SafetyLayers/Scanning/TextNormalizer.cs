using System.Buffers;
using System.Globalization;
using System.Text;

namespace SafetyLayers.Scanning;

/// <summary>Normalizes text for matching and keeps an offset map back to the original (see <see cref="TextNormalization"/>).</summary>
/// <remarks>
/// One pass over the code points applies format-character removal, NFKC (per code point, with the span APIs, so no
/// string is allocated), case folding, the confusables map and white-space collapsing. Two passes over the result then
/// apply the context-dependent steps: leetspeak (only inside words that contain a letter, so "2024" stays a number) and
/// letter-spacing collapse. Thread-safe and allocation-free apart from the pooled buffers.
/// </remarks>
internal static class TextNormalizer
{
    private const int MaxExpansion = 18; // the longest NFKC expansion of one code point (U+FDFA) is 18 UTF-16 units

    private static readonly SearchValues<char> s_letterSpacingSeparators = SearchValues.Create(" .-_*|/+~");

    /// <summary>Normalizes <paramref name="text"/> with <paramref name="steps"/>; the caller disposes the result.</summary>
    public static NormalizedText Normalize(ReadOnlySpan<char> text, TextNormalization steps)
    {
        var writer = new Writer(text.Length + MaxExpansion, steps);
        Span<char> expansion = stackalloc char[MaxExpansion * 2];
        bool nfkc = (steps & TextNormalization.Nfkc) != 0;
        bool removeFormat = (steps & TextNormalization.RemoveFormatCharacters) != 0;

        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c < 0x80)
            {
                writer.Emit(c, i, i + 1);
                i++;
                continue;
            }

            int length = 1;
            int codePoint = c;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                length = 2;
                codePoint = char.ConvertToUtf32(c, text[i + 1]);
            }

            if (removeFormat)
            {
                if (codePoint is >= 0xE0020 and <= 0xE007E)
                {
                    writer.Emit((char)(codePoint - 0xE0000), i, i + length);   // ASCII smuggled in TAG characters
                    i += length;
                    continue;
                }

                if (IsFormatCharacter(codePoint))
                {
                    i += length;
                    continue;
                }
            }

            ReadOnlySpan<char> source = text.Slice(i, length);
            if (nfkc && !source.IsNormalized(NormalizationForm.FormKC)
                && source.TryNormalize(expansion, out int written, NormalizationForm.FormKC))
            {
                foreach (char expanded in expansion[..written])
                {
                    writer.Emit(expanded, i, i + length);
                }
            }
            else
            {
                foreach (char unit in source)
                {
                    writer.Emit(unit, i, i + length);
                }
            }

            i += length;
        }

        if ((steps & TextNormalization.Leetspeak) != 0)
        {
            writer.MapLeetspeak();
        }

        if ((steps & TextNormalization.CollapseLetterSpacing) != 0)
        {
            writer.CollapseLetterSpacing();
        }

        return writer.ToNormalizedText();
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
        private int _count;

        public Writer(int capacity, TextNormalization steps)
        {
            _steps = steps;
            NormalizationBuffers.Rent(capacity, out _chars, out _starts, out _ends);
            _count = 0;
        }

        public void Emit(char c, int start, int end)
        {
            if ((_steps & TextNormalization.CaseFold) != 0)
            {
                c = char.ToLowerInvariant(c);
            }

            if ((_steps & TextNormalization.Confusables) != 0)
            {
                c = Confusables.Map(c);
            }

            if ((_steps & TextNormalization.CollapseWhitespace) != 0 && (c == ' ' || char.IsWhiteSpace(c)))
            {
                c = ' ';
                if (_count > 0 && _chars[_count - 1] == ' ')
                {
                    _ends[_count - 1] = end;   // the kept space now covers the whole run
                    return;
                }
            }

            if (_count == _chars.Length)
            {
                Grow();
            }

            _chars[_count] = c;
            _starts[_count] = start;
            _ends[_count] = end;
            _count++;
        }

        public readonly void MapLeetspeak()
        {
            Span<char> chars = _chars.AsSpan(0, _count);
            int i = 0;
            while (i < chars.Length)
            {
                if (!IsLeetWordChar(chars[i]))
                {
                    i++;
                    continue;
                }

                int start = i;
                bool hasLetter = false;
                bool hasLeet = false;
                while (i < chars.Length && IsLeetWordChar(chars[i]))
                {
                    if (char.IsLetter(chars[i]))
                    {
                        hasLetter = true;
                    }
                    else
                    {
                        hasLeet = true;
                    }

                    i++;
                }

                if (hasLetter && hasLeet)
                {
                    for (int k = start; k < i; k++)
                    {
                        if (TryMapLeet(chars[k], out char letter))
                        {
                            chars[k] = letter;
                        }
                    }
                }
            }
        }

        public void CollapseLetterSpacing()
        {
            // Phase 1 marks the separators of every run "single letter (separator single letter)+" that has at least
            // four single letters; marking keeps them non-letters, so later runs are judged on the same text.
            // Phase 2 compacts the buffers without the marked separators.
            const char Removed = '\uFFFF';
            Span<char> chars = _chars.AsSpan(0, _count);
            bool any = false;
            int i = 0;
            while (i < chars.Length)
            {
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

        public readonly NormalizedText ToNormalizedText() => new(_chars, _starts, _ends, _count);

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
            _starts.AsSpan(0, _count).CopyTo(starts);
            _ends.AsSpan(0, _count).CopyTo(ends);
            ArrayPool<char>.Shared.Return(_chars);
            ArrayPool<int>.Shared.Return(_starts);
            ArrayPool<int>.Shared.Return(_ends);
            _chars = chars;
            _starts = starts;
            _ends = ends;
        }
    }
}
