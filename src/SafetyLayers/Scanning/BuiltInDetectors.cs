using System.Buffers;
using System.Globalization;

namespace SafetyLayers.Scanning;

/// <summary>The code behind <see cref="BuiltInDetector"/>: invisible characters, TAG smuggling and mixed-script words.</summary>
/// <remarks>All three only look at non-ASCII characters, so an ASCII text costs one vectorized check. Encoded payloads need the policy and live in <see cref="ScanPolicy"/>.</remarks>
internal static class BuiltInDetectors
{
    private static readonly SearchValues<char> s_zeroWidth = SearchValues.Create("\u200B\u200C\u200D\u2060\u2061\u2062\u2063\u2064\uFEFF\u180E");

    public static BuiltInDetectorKind Parse(string name) => name switch
    {
        "invisible-characters" => BuiltInDetectorKind.InvisibleCharacters,
        "tag-characters" => BuiltInDetectorKind.TagCharacters,
        "mixed-script" => BuiltInDetectorKind.MixedScript,
        "encoded-payload" => BuiltInDetectorKind.EncodedPayload,
        "letter-spacing" => BuiltInDetectorKind.LetterSpacing,
        "leetspeak" => BuiltInDetectorKind.Leetspeak,
        _ => throw new ArgumentException($"Unknown built-in detector \"{name}\". Known: invisible-characters, tag-characters, mixed-script, encoded-payload, letter-spacing, leetspeak.", nameof(name)),
    };

    /// <summary>Zero-width characters between two letters of an alphabetic script, and every bidirectional embedding, override or isolate.</summary>
    public static void FindInvisibleCharacters(ReadOnlySpan<char> text, ScanRule rule, ref FindingCollector findings)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c < 0x180E)
            {
                continue;
            }

            if (c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'))
            {
                findings.Add(rule, i, 1);
                continue;
            }

            if (!s_zeroWidth.Contains(c))
            {
                continue;
            }

            int end = i + 1;
            while (end < text.Length && s_zeroWidth.Contains(text[end]))
            {
                end++;
            }

            // Joiners between letters of scripts that need them (Arabic, Persian, Indic) or between emoji are legitimate.
            if (i > 0 && end < text.Length && IsAlphabeticLetter(text[i - 1]) && IsAlphabeticLetter(text[end]))
            {
                findings.Add(rule, i, end - i);
            }

            i = end - 1;
        }
    }

    /// <summary>Runs of Unicode TAG characters (U+E0000–U+E007F) that do not follow a black flag (emoji subdivision flags use them).</summary>
    public static void FindTagCharacters(ReadOnlySpan<char> text, ScanRule rule, ref FindingCollector findings)
    {
        int i = 0;
        while (i < text.Length)
        {
            int offset = text[i..].IndexOf('\uDB40');
            if (offset < 0)
            {
                return;
            }

            int start = i + offset;
            int end = start;
            while (end + 1 < text.Length && text[end] == '\uDB40' && text[end + 1] is >= '\uDC00' and <= '\uDC7F')
            {
                end += 2;
            }

            bool flag = start >= 2 && text[start - 2] == '\uD83C' && text[start - 1] == '\uDFF4';   // U+1F3F4 WAVING BLACK FLAG
            if (end > start && !flag)
            {
                findings.Add(rule, start, end - start);
            }

            i = Math.Max(end, start + 1);
        }
    }

    /// <summary>Words whose letters come from two or more of Latin, Cyrillic, Greek, Armenian, Cherokee and Coptic, at least one being a known look-alike.</summary>
    public static void FindMixedScriptWords(ReadOnlySpan<char> text, ScanRule rule, ref FindingCollector findings)
    {
        int i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetter(text[i]))
            {
                i++;
                continue;
            }

            int start = i;
            int scripts = 0;
            bool lookAlike = false;
            while (i < text.Length && (char.IsLetter(text[i]) || char.GetUnicodeCategory(text[i]) is UnicodeCategory.NonSpacingMark or UnicodeCategory.Format))
            {
                char c = text[i];
                scripts |= ScriptBit(c);
                lookAlike |= Confusables.IsLookAlike(c);
                i++;
            }

            if (lookAlike && (scripts & (scripts - 1)) != 0)
            {
                findings.Add(rule, start, i - start);
            }
        }
    }

    /// <summary>Text written letter by letter: at least <c>16</c> single letters in a row, each followed by one separator (space . - _ *).</summary>
    public static void FindLetterSpacing(ReadOnlySpan<char> text, ScanRule rule, ref FindingCollector findings)
    {
        const int MinLetters = 16;
        int i = 0;
        while (i < text.Length)
        {
            int start = i;
            int letters = 0;
            int j = i;
            while (j < text.Length && char.IsLetter(text[j]) && (j + 1 == text.Length || !char.IsLetter(text[j + 1])))
            {
                letters++;
                j++;
                if (j < text.Length && text[j] is ' ' or '.' or '-' or '_' or '*')
                {
                    j++;
                    if (j < text.Length && text[j] == ' ' && text[j - 1] == ' ')
                    {
                        j++;   // a double space between letter-spaced words
                    }
                }
                else
                {
                    break;
                }
            }

            if (letters >= MinLetters)
            {
                findings.Add(rule, start, j - start);
                i = j;
            }
            else
            {
                i = Math.Max(i + 1, j);
            }
        }
    }

    /// <summary>
    /// Text written in leetspeak: at least four words, and a quarter of all words, in which a digit stands between letters or
    /// replaces a letter next to them (h4ck, n0w, 4r3), while the word becomes letters only once the digits are mapped.
    /// </summary>
    public static void FindLeetspeak(ReadOnlySpan<char> text, ScanRule rule, ref FindingCollector findings)
    {
        int words = 0;
        int leet = 0;
        int first = -1;
        int last = 0;
        int i = 0;
        while (i < text.Length)
        {
            if (!char.IsAsciiLetterOrDigit(text[i]))
            {
                i++;
                continue;
            }

            int start = i;
            int letters = 0;
            int leetDigits = 0;
            int otherDigits = 0;
            while (i < text.Length && char.IsAsciiLetterOrDigit(text[i]))
            {
                char c = text[i];
                if (char.IsAsciiLetter(c))
                {
                    letters++;
                }
                else if (TextNormalizer.TryMapLeet(c, out _))
                {
                    leetDigits++;
                }
                else
                {
                    otherDigits++;
                }

                i++;
            }

            words++;
            if (letters >= 1 && leetDigits >= 1 && otherDigits == 0 && i - start >= 3)
            {
                leet++;
                if (first < 0)
                {
                    first = start;
                }

                last = i;
            }
        }

        if (leet >= 4 && leet * 4 >= words)
        {
            findings.Add(rule, first, last - first);
        }
    }

    private static int ScriptBit(char c) => c switch
    {
        < '\u0250' => char.IsLetter(c) ? 1 : 0,                        // Latin (Basic, Latin-1, Extended-A/B)
        < '\u0370' => 1,                                                // IPA: Latin
        < '\u0400' => 2,                                                // Greek
        < '\u0530' => 4,                                                // Cyrillic
        < '\u0590' => 8,                                                // Armenian
        >= '\u13A0' and < '\u1400' => 16,                               // Cherokee
        >= '\uAB70' and < '\uABC0' => 16,                               // Cherokee small letters
        >= '\u1D00' and < '\u1DC0' => 1,                                // phonetic extensions: Latin small capitals
        >= '\u1F00' and < '\u2000' => 2,                                // Greek extended
        >= '\u2C80' and < '\u2D00' => 32,                               // Coptic
        >= '\uA640' and < '\uA6A0' => 4,                                // Cyrillic extended-B
        >= '\uA720' and < '\uA800' => 1,                                // Latin extended-D
        _ => 64,
    };

    private static bool IsAlphabeticLetter(char c) => char.IsLetter(c) && c < '\u0590';
}
