namespace SafetyLayers.Matching.Prefilters;

/// <summary>
/// A rough, corpus-independent guess of how common a character is in text, used to fingerprint the rare part of a pattern.
/// </summary>
/// <remarks>
/// The order is the usual English letter frequency order ("etaoin shrdlu..."), with the space most common, upper case rarer
/// than lower case, digits and punctuation in between, and every other character rare. Teddy fingerprints the low byte of a
/// character, so a non-ASCII character counts as rare even though it shares its low byte with another: a wrong guess costs
/// speed only, never a match.
/// </remarks>
internal static class CharacterFrequency
{
    private const string LettersByFrequency = "etaoinshrdlcumwfgypbvkjxqz";

    /// <summary>Returns a score from 0 (rare) to 255 (the space): higher means more common.</summary>
    /// <param name="c">The character.</param>
    /// <param name="ignoreCase">Whether the fingerprint also stands for the character's case variants.</param>
    public static int Score(char c, bool ignoreCase)
    {
        char lower = char.ToLowerInvariant(c);
        if (c == ' ')
        {
            return 255;
        }

        int letter = lower < 128 ? LettersByFrequency.IndexOf(lower, StringComparison.Ordinal) : -1;
        if (letter >= 0)
        {
            int score = 240 - (8 * letter);
            return ignoreCase || c == lower ? score : score / 3; // an upper-case letter is far rarer than its lower case
        }

        return c switch
        {
            '.' or ',' or '\n' or '\'' or '"' or '-' => 120,
            >= '0' and <= '9' => 60,
            < (char)128 => 40,
            _ => 20,
        };
    }

    /// <summary>Returns the offset, from 0 to <paramref name="maxOffset"/>, of the rarest <paramref name="length"/>-character window of a pattern.</summary>
    public static int RarestWindow(string pattern, int length, int maxOffset, bool ignoreCase)
    {
        int best = 0;
        int bestScore = int.MaxValue;
        for (int offset = 0; offset <= Math.Min(maxOffset, pattern.Length - length); offset++)
        {
            int score = 0;
            for (int k = 0; k < length; k++)
            {
                score += Score(pattern[offset + k], ignoreCase);
            }

            if (score < bestScore)
            {
                best = offset;
                bestScore = score;
            }
        }

        return best;
    }
}
