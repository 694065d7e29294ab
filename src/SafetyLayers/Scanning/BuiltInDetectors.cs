using System.Buffers;
using System.Globalization;

namespace SafetyLayers.Scanning;

/// <summary>The code behind <see cref="BuiltInDetector"/>: invisible characters, TAG smuggling and mixed-script words.</summary>
/// <remarks>All three only look at non-ASCII characters, so an ASCII text costs one vectorized check. Encoded payloads need the policy and live in <see cref="ScanPolicy"/>.</remarks>
internal static class BuiltInDetectors
{
    private static readonly SearchValues<char> s_zeroWidth = SearchValues.Create("\u200B\u200C\u200D\u2060\u2061\u2062\u2063\u2064\uFEFF\u180E");
    private static readonly SearchValues<char> s_leetDigits = SearchValues.Create("01345789");

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
            // Every character looked for is U+180E or above: a vectorized search skips the rest (all of Latin text).
            int next = text[i..].IndexOfAnyInRange('\u180E', '\uFFFF');
            if (next < 0)
            {
                return;
            }

            i += next;
            char c = text[i];

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
    /// <remarks>
    /// A word (a letter, then letters, non-spacing marks and format characters) can only mix scripts if it holds a character
    /// from U+0370 up, since everything below is Latin; words are examined only around those characters, found with a
    /// vectorized search, so Latin text costs one pass. The tests compare it with the word-by-word loop on random texts.
    /// </remarks>
    public static void FindMixedScriptWords(ReadOnlySpan<char> text, ScanRule rule, ref FindingCollector findings)
    {
        int from = 0;
        while (from < text.Length)
        {
            int offset = text[from..].IndexOfAnyInRange('\u0370', '\uFFFF');
            if (offset < 0)
            {
                return;
            }

            int hit = from + offset;
            int start = hit;
            while (start > from && IsWordPart(text[start - 1]))
            {
                start--;
            }

            while (start <= hit && !char.IsLetter(text[start]))
            {
                start++;   // a word begins with a letter; marks before it belong to no word
            }

            if (start > hit || !IsWordPart(text[hit]))
            {
                from = hit + 1;
                continue;
            }

            int end = hit + 1;
            while (end < text.Length && IsWordPart(text[end]))
            {
                end++;
            }

            int scripts = 0;
            foreach (char c in text[start..end])
            {
                scripts |= ScriptBit(c);
            }

            // Only a word of two scripts or more can be flagged: look-alikes (a case mapping and a lookup each) are looked
            // for only then, so words of one script (all of Chinese or Russian text) cost a table test per character.
            if ((scripts & (scripts - 1)) != 0 && ContainsLookAlike(text[start..end]))
            {
                findings.Add(rule, start, end - start);
            }

            from = end;
        }
    }

    private static bool IsWordPart(char c) =>
        char.IsLetter(c) || char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.Format;

    /// <summary>Text written letter by letter: at least <c>16</c> single letters in a row, each followed by one separator (space . - _ *).</summary>
    /// <remarks>
    /// A run is counted from a letter that no letter follows, and a run of two letters or more has a separator right before its
    /// second letter; runs are found from those places (<see cref="TextNormalizer.IndexOfSeparatedLetter"/>), so prose costs
    /// a search for separators, not a letter test per character.
    /// </remarks>
    public static void FindLetterSpacing(ReadOnlySpan<char> text, ScanRule rule, ref FindingCollector findings)
    {
        const int MinLetters = 16;
        int i = 0;
        while (true)
        {
            int separator = TextNormalizer.IndexOfSeparatedLetter(text, i, " .-_*");
            if (separator < 0)
            {
                return;
            }

            // The run's first letter: right before the separator, or before a double space.
            int start = separator >= 1 && char.IsLetter(text[separator - 1]) ? separator - 1
                : separator >= 2 && text[separator] == ' ' && text[separator - 1] == ' ' && char.IsLetter(text[separator - 2]) ? separator - 2
                : -1;
            if (start < i)
            {
                i = separator + 1;
                continue;
            }

            int letters = 0;
            int j = start;
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
                i = Math.Max(start + 1, j);
            }
        }
    }

    /// <summary>
    /// Text written in leetspeak: at least four words, and a quarter of all words, in which a digit stands between letters or
    /// replaces a letter before them (h4ck, n0w, 4r3), while the word becomes letters only once the digits are mapped. Words
    /// whose digits all trail their letters (numbered names such as "word0 word1 ... word499", "file10", "mp3") do not count.
    /// </summary>
    /// <remarks>Only words with a leetspeak digit can count, so those are found first (a vectorized search); all words are counted only when four of them do.</remarks>
    public static void FindLeetspeak(ReadOnlySpan<char> text, ScanRule rule, ref FindingCollector findings)
    {
        int leet = 0;
        int first = -1;
        int last = 0;
        int digit = text.IndexOfAny(s_leetDigits);
        while (digit >= 0)
        {
            int start = digit;
            while (start > 0 && char.IsAsciiLetterOrDigit(text[start - 1]))
            {
                start--;
            }

            int end = digit;
            int letters = 0;
            int otherDigits = 0;
            bool digitThenLetter = false;
            for (int k = start; k < text.Length && char.IsAsciiLetterOrDigit(text[k]); k++, end = k)
            {
                if (char.IsAsciiLetter(text[k]))
                {
                    letters++;
                    digitThenLetter |= k > start && char.IsAsciiDigit(text[k - 1]);
                }
                else if (!TextNormalizer.TryMapLeet(text[k], out _))
                {
                    otherDigits++;
                }
            }

            // A word whose digits only trail its letters ("word10", "mp3", "item7") is a numbered name, not leetspeak.
            if (letters >= 1 && otherDigits == 0 && digitThenLetter && end - start >= 3)
            {
                leet++;
                first = first < 0 ? start : first;
                last = end;
            }

            int next = end < text.Length ? text[end..].IndexOfAny(s_leetDigits) : -1;
            digit = next < 0 ? -1 : end + next;
        }

        if (leet >= 4 && leet * 4 >= CountWords(text))
        {
            findings.Add(rule, first, last - first);
        }
    }

    /// <summary>Counts the runs of ASCII letters and digits.</summary>
    private static int CountWords(ReadOnlySpan<char> text)
    {
        int words = 0;
        bool inWord = false;
        foreach (char c in text)
        {
            bool wordChar = char.IsAsciiLetterOrDigit(c);
            words += wordChar && !inWord ? 1 : 0;
            inWord = wordChar;
        }

        return words;
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

    private static bool ContainsLookAlike(ReadOnlySpan<char> word)
    {
        foreach (char c in word)
        {
            if (Confusables.IsLookAlike(c))
            {
                return true;
            }
        }

        return false;
    }
}
