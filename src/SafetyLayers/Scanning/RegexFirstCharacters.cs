using System.Buffers;

namespace SafetyLayers.Scanning;

/// <summary>
/// Derives from a .NET regular expression the characters every match begins with, when its start is plain: zero-width
/// assertions (<c>\b</c>, <c>^</c>, look-arounds, a group of alternatives that are all zero-width), then one character,
/// escape or class repeated at least once. <c>\b[A-Z]{2}[0-9]{2}</c> gives A to Z; <c>(?:^|(?&lt;=[^0-9]))1[3-9]</c> gives 1.
/// Also derives, from the look-behinds of one character among those leading assertions, the characters that no match can
/// come right after (<see cref="FindExcludedBefore"/>): 0 to 9 for both examples' <c>(?&lt;=[^0-9])</c>.
/// </summary>
/// <remarks>
/// Anything else (a group, an optional first character, a negated class, escapes such as <c>\d</c> or <c>\w</c> that match
/// beyond ASCII, non-ASCII characters, inline options, a case-insensitive pattern) makes it give up: the caller then tries
/// every place. What it returns is exact for a case-sensitive pattern: the characters the first atom matches.
/// </remarks>
internal static class RegexFirstCharacters
{
    /// <summary>Returns the characters every match of <paramref name="pattern"/> begins with, or <see langword="null"/> when the analysis cannot tell.</summary>
    public static SearchValues<char>? Find(string pattern, bool ignoreCase)
    {
        if (ignoreCase || HasTopLevelAlternation(pattern))
        {
            return null;   // the first alternative's start says nothing of the others'
        }

        int pos = 0;
        while (pos < pattern.Length && SkipZeroWidth(pattern, ref pos))
        {
        }

        if (pos >= pattern.Length || !TryReadAtom(pattern, ref pos, out string? characters) || !HasMinimumRepetition(pattern, pos))
        {
            return null;
        }

        return SearchValues.Create(characters);
    }

    /// <summary>
    /// Returns the characters that no match of <paramref name="pattern"/> can come right after, or <see langword="null"/> when
    /// the analysis finds none: those a leading look-behind of one character rules out, <c>(?&lt;![0-9+])</c> or
    /// <c>(?&lt;=[^0-9+])</c>, also as the alternative to <c>^</c> in <c>(?:^|(?&lt;=[^0-9+]))</c> (where a line feed is never
    /// ruled out: <c>^</c> may match after one in multiline mode). Other leading assertions are passed over.
    /// </summary>
    /// <remarks>
    /// What it returns is a subset of what the pattern rules out, so a caller that skips the places after those characters
    /// skips no match. Case-insensitive patterns are refused (the case partners of letters); inline options only widen what a
    /// class rules out.
    /// </remarks>
    public static SearchValues<char>? FindExcludedBefore(string pattern, bool ignoreCase)
    {
        if (ignoreCase || HasTopLevelAlternation(pattern))
        {
            return null;
        }

        var excluded = new HashSet<char>();
        int pos = 0;
        while (pos < pattern.Length)
        {
            int item = pos;
            if (!SkipZeroWidth(pattern, ref pos))
            {
                break;
            }

            if (ExcludedBefore(pattern, item, pos) is { } characters)
            {
                excluded.UnionWith(characters);
            }
        }

        return excluded.Count > 0 ? SearchValues.Create([.. excluded.Order()]) : null;
    }

    /// <summary>
    /// Returns the characters the zero-width item <c>[start, end)</c> of <paramref name="p"/> rules out right before it: a
    /// look-behind of one character, or a group whose alternatives are each such a look-behind or <c>^</c> (the characters
    /// all of them rule out); else <see langword="null"/>.
    /// </summary>
    private static HashSet<char>? ExcludedBefore(string p, int start, int end)
    {
        ReadOnlySpan<char> item = p.AsSpan(start, end - start);
        bool negative = item.StartsWith("(?<!");
        if (negative || item.StartsWith("(?<="))
        {
            int at = start + 4;
            if (!TryReadSet(p, ref at, out string? characters, out bool negated) || at != end - 1 || negated == negative)
            {
                return null;   // more than one character, a quantifier, or a set it keeps rather than rules out
            }

            return [.. characters!];
        }

        if (!item.StartsWith("(?:"))
        {
            return null;
        }

        HashSet<char>? common = null;
        bool caret = false;
        int alternative = start + 3;
        while (alternative < end - 1)
        {
            int itemEnd = alternative;
            if (!SkipZeroWidth(p, ref itemEnd) || (p[itemEnd] != '|' && itemEnd != end - 1))
            {
                return null;   // an alternative of more than one item
            }

            if (p[alternative] == '^' && itemEnd == alternative + 1)
            {
                caret = true;
            }
            else if (ExcludedBefore(p, alternative, itemEnd) is { } characters)
            {
                common ??= characters;
                common.IntersectWith(characters);
            }
            else
            {
                return null;
            }

            alternative = itemEnd + 1;
        }

        if (caret)
        {
            common?.Remove('\n');
        }

        return common;
    }

    /// <summary>Skips one zero-width item at <paramref name="pos"/>: <c>\b</c>, <c>\B</c>, <c>^</c>, a look-around, or a group of zero-width alternatives.</summary>
    private static bool SkipZeroWidth(string p, ref int pos)
    {
        if (p[pos] == '^')
        {
            pos++;
            return true;
        }

        if (p[pos] == '\\' && pos + 1 < p.Length && p[pos + 1] is 'b' or 'B')
        {
            pos += 2;
            return true;
        }

        if (p[pos] != '(' || !TryFindGroupEnd(p, pos, out int end))
        {
            return false;
        }

        ReadOnlySpan<char> group = p.AsSpan(pos, end - pos + 1);
        if (group.StartsWith("(?=") || group.StartsWith("(?!") || group.StartsWith("(?<=") || group.StartsWith("(?<!"))
        {
            pos = end + 1;
            return true;
        }

        if (group.StartsWith("(?:"))
        {
            // A group whose every alternative is made of zero-width items only, such as (?:^|(?<=[^0-9])).
            int at = pos + 3;
            while (at < end)
            {
                if (p[at] == '|')
                {
                    at++;
                    continue;
                }

                if (!SkipZeroWidth(p, ref at))
                {
                    return false;
                }
            }

            pos = end + 1;
            return true;
        }

        return false;
    }

    /// <summary>Reads a literal ASCII character or a non-negated class of ASCII characters and ranges.</summary>
    private static bool TryReadAtom(string p, ref int pos, out string? characters) =>
        TryReadSet(p, ref pos, out characters, out bool negated) && !negated;

    /// <summary>Reads a literal ASCII character or a class of ASCII characters and ranges, which may be negated.</summary>
    private static bool TryReadSet(string p, ref int pos, out string? characters, out bool negated)
    {
        characters = null;
        negated = false;
        if (pos >= p.Length)
        {
            return false;
        }

        char c = p[pos];
        if (c == '[')
        {
            var set = new System.Text.StringBuilder();
            int i = pos + 1;
            if (i < p.Length && p[i] == '^')
            {
                negated = true;
                i++;
            }

            while (i < p.Length && p[i] != ']')
            {
                if (!TryReadClassCharacter(p, ref i, out char low))
                {
                    return false;
                }

                char high = low;
                if (i + 1 < p.Length && p[i] == '-' && p[i + 1] != ']')
                {
                    i++;
                    if (!TryReadClassCharacter(p, ref i, out high) || high < low)
                    {
                        return false;
                    }
                }

                for (char k = low; k <= high; k++)
                {
                    set.Append(k);
                }
            }

            if (i >= p.Length || set.Length == 0)
            {
                return false;
            }

            pos = i + 1;
            characters = set.ToString();
            return true;
        }

        if (c == '\\')
        {
            // An escaped punctuation character stands for itself; \d, \w and the like match beyond ASCII: give up.
            if (pos + 1 >= p.Length || char.IsAsciiLetterOrDigit(p[pos + 1]) || p[pos + 1] > '\u007F')
            {
                return false;
            }

            characters = p[pos + 1].ToString();
            pos += 2;
            return true;
        }

        if (c is '(' or ')' or '|' or '.' or '*' or '+' or '?' or '{' or '$' || c > '\u007F')
        {
            return false;
        }

        characters = c.ToString();
        pos++;
        return true;
    }

    /// <summary>Reads one character of a class: a plain ASCII character or an escaped punctuation character.</summary>
    private static bool TryReadClassCharacter(string p, ref int i, out char c)
    {
        c = p[i];
        if (c == '\\')
        {
            if (i + 1 >= p.Length || char.IsAsciiLetterOrDigit(p[i + 1]) || p[i + 1] > '\u007F')
            {
                return false;   // \d, \w, \p{..}, \x41 and the like
            }

            c = p[i + 1];
            i += 2;
            return true;
        }

        if (c == '[' || c > '\u007F')
        {
            return false;   // subtraction, or a character whose case partners the analysis does not follow
        }

        i++;
        return true;
    }

    /// <summary>Returns whether the quantifier at <paramref name="pos"/>, if any, repeats the atom at least once.</summary>
    private static bool HasMinimumRepetition(string p, int pos)
    {
        if (pos >= p.Length)
        {
            return true;
        }

        return p[pos] switch
        {
            '?' or '*' => false,
            '{' => p.AsSpan(pos + 1).IndexOfAnyExceptInRange('0', '9') is int digits and > 0 && p.AsSpan(pos + 1, digits).TrimStart('0').Length > 0,
            _ => true,
        };
    }

    /// <summary>Returns whether <paramref name="p"/> has a <c>|</c> outside every group and class.</summary>
    private static bool HasTopLevelAlternation(string p)
    {
        for (int i = 0; i < p.Length; i++)
        {
            if (p[i] == '|')
            {
                return true;
            }

            if (p[i] == '\\')
            {
                i++;
            }
            else if (p[i] is '(' or '[')
            {
                if (!(p[i] == '(' ? TryFindGroupEnd(p, i, out int end) : TryFindClassEnd(p, i, out end)))
                {
                    return true;   // unbalanced: let the analysis give up
                }

                i = end;
            }
        }

        return false;
    }

    /// <summary>Finds the bracket that closes the class opening at <paramref name="start"/>.</summary>
    private static bool TryFindClassEnd(string p, int start, out int end)
    {
        int i = start + 1;
        if (i < p.Length && p[i] == '^')
        {
            i++;
        }

        if (i < p.Length && p[i] == ']')
        {
            i++;   // a leading ] is a literal
        }

        while (i < p.Length && p[i] != ']')
        {
            i += p[i] == '\\' ? 2 : 1;
        }

        end = i;
        return i < p.Length;
    }

    /// <summary>Finds the parenthesis that closes the group opening at <paramref name="start"/>, skipping escapes and classes.</summary>
    private static bool TryFindGroupEnd(string p, int start, out int end)
    {
        int depth = 0;
        for (int i = start; i < p.Length; i++)
        {
            switch (p[i])
            {
                case '\\':
                    i++;
                    break;
                case '[':
                    if (!TryFindClassEnd(p, i, out i))
                    {
                        end = -1;
                        return false;
                    }

                    break;
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    if (depth == 0)
                    {
                        end = i;
                        return true;
                    }

                    break;
            }
        }

        end = -1;
        return false;
    }
}
