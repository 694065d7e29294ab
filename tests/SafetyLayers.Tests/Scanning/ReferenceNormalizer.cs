using System.Text;
using System.Text.RegularExpressions;
using SafetyLayers.Scanning;

namespace SafetyLayers.Tests.Scanning;

/// <summary>
/// A slow, obviously correct <see cref="TextNormalizer"/>: each step is a separate pass over a list of
/// (character, original start, original end) units, and letter spacing is found with a regular expression.
/// The differential tests hold the optimized normalizer to it.
/// </summary>
internal static partial class ReferenceNormalizer
{
    public static (string Text, int[] Starts, int[] Ends) Normalize(string text, TextNormalization steps)
    {
        List<Unit> units = MapCodePoints(text, steps);
        if ((steps & TextNormalization.CollapseWhitespace) != 0)
        {
            units = CollapseSpaces(units);
        }

        if ((steps & TextNormalization.Leetspeak) != 0)
        {
            MapLeetspeak(units);
        }

        if ((steps & TextNormalization.CollapseLetterSpacing) != 0)
        {
            units = CollapseLetterSpacing(units);
        }

        return (string.Concat(units.Select(u => u.C)), [.. units.Select(u => u.Start)], [.. units.Select(u => u.End)]);
    }

    private static List<Unit> MapCodePoints(string text, TextNormalization steps)
    {
        var units = new List<Unit>();
        for (int i = 0; i < text.Length;)
        {
            int length = char.IsSurrogatePair(text, i) ? 2 : 1;
            int codePoint = length == 2 ? char.ConvertToUtf32(text[i], text[i + 1]) : text[i];
            string mapped = text.Substring(i, length);
            if ((steps & TextNormalization.RemoveFormatCharacters) != 0 && codePoint is >= 0xE0020 and <= 0xE007E)
            {
                mapped = ((char)(codePoint - 0xE0000)).ToString();
            }
            else if ((steps & TextNormalization.RemoveFormatCharacters) != 0 && TextNormalizer.IsFormatCharacter(codePoint))
            {
                mapped = string.Empty;
            }
            else if ((steps & TextNormalization.Nfkc) != 0 && (length == 2 || !char.IsSurrogate(text[i])) && !TextNormalizer.IsNoncharacter(codePoint))
            {
                mapped = mapped.Normalize(NormalizationForm.FormKC);   // a lone surrogate is not a code point, nor a noncharacter a character: kept as they are
            }

            foreach (char c in mapped)
            {
                char folded = (steps & TextNormalization.CaseFold) != 0 ? char.ToLowerInvariant(c) : c;
                char plain = (steps & TextNormalization.Confusables) != 0 ? Confusables.Map(folded) : folded;
                units.Add(new Unit((steps & TextNormalization.CollapseWhitespace) != 0 && char.IsWhiteSpace(plain) ? ' ' : plain, i, i + length));
            }

            i += length;
        }

        return units;
    }

    private static List<Unit> CollapseSpaces(List<Unit> units)
    {
        var result = new List<Unit>();
        foreach (Unit unit in units)
        {
            if (unit.C == ' ' && result.Count > 0 && result[^1].C == ' ')
            {
                result[^1] = result[^1] with { End = unit.End };
            }
            else
            {
                result.Add(unit);
            }
        }

        return result;
    }

    private static void MapLeetspeak(List<Unit> units)
    {
        static bool InWord(char c) => char.IsLetter(c) || TextNormalizer.TryMapLeet(c, out _);
        for (int start = 0; start < units.Count;)
        {
            int end = start;
            while (end < units.Count && InWord(units[end].C))
            {
                end++;
            }

            if (units.Skip(start).Take(end - start).Any(u => char.IsLetter(u.C)))
            {
                for (int k = start; k < end; k++)
                {
                    units[k] = TextNormalizer.TryMapLeet(units[k].C, out char letter) ? units[k] with { C = letter } : units[k];
                }
            }

            start = Math.Max(end, start + 1);
        }
    }

    private static List<Unit> CollapseLetterSpacing(List<Unit> units)
    {
        string text = string.Concat(units.Select(u => u.C));
        var removed = new HashSet<int>();
        foreach (Match run in LetterSpacedRun().Matches(text))
        {
            for (int k = run.Index + 1; k < run.Index + run.Length; k += 2)
            {
                removed.Add(k);
            }
        }

        return [.. units.Where((_, k) => !removed.Contains(k))];
    }

    /// <summary>Four or more single letters (no letter on either side), one separator between each two.</summary>
    [GeneratedRegex(@"(?<!\p{L})\p{L}(?!\p{L})(?:[ .\-_*|/+~]\p{L}(?!\p{L})){3,}")]
    private static partial Regex LetterSpacedRun();

    private readonly record struct Unit(char C, int Start, int End);
}
