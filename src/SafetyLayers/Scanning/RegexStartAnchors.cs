namespace SafetyLayers.Scanning;

/// <summary>One start anchor of a rule: every match begins at most <see cref="Offset"/> characters before an occurrence of <see cref="Literal"/>.</summary>
/// <param name="Literal">The literal; found case-insensitively, which only adds candidates.</param>
/// <param name="Offset">The most characters a match can cover before the literal (0: the match begins with it).</param>
/// <param name="WordStart">Whether the pattern puts <c>\b</c> right before the literal, which begins with a word character: an occurrence
/// preceded by a letter, digit or underscore is no candidate.</param>
internal readonly record struct StartAnchor(string Literal, int Offset, bool WordStart = false);

/// <summary>
/// Derives start anchors from a .NET regular expression: literals one of which every match contains within a bounded distance of
/// its start. <c>\bsk-(?:proj-)?[A-Za-z0-9]{20}</c> gives <c>sk-</c> at offset 0, <c>\b[A-Za-z][A-Za-z0-9+.\-]{1,20}://</c> gives
/// <c>://</c> at offset 21, and <c>(?:born|birth)</c> gives both words.
/// </summary>
/// <remarks>
/// The analysis reads the pattern from its start: zero-width assertions (<c>\b</c>, <c>^</c>, look-arounds) are skipped, character
/// classes and <c>.</c> add their widest repetition to the offset, groups and alternations are analysed recursively (every
/// alternative must yield anchors, or none may), and the first run of literal characters ends the analysis. Anything it does not
/// understand (unbounded repetition before the literal, an optional group that holds the literal, back-references, inline options)
/// makes it give up: the rule then has no anchors, and a streaming filter holds back its full length. Anchors are ASCII or Latin-1
/// letters the matcher folds the way the regex does; for a case-insensitive pattern, <c>k</c> also gets its KELVIN SIGN variant,
/// which <see cref="char.ToUpperInvariant(char)"/> does not fold but the regex matches.
/// </remarks>
internal static class RegexStartAnchors
{
    private const int MaxOffset = 4096;
    private const int MaxAnchors = 256;
    private const int MaxLiteral = 16;
    private const int MaxVariants = 32;

    /// <summary>Returns the start anchors of <paramref name="pattern"/>, or <see langword="null"/> when it has none the analysis can prove.</summary>
    public static IReadOnlyList<StartAnchor>? Find(string pattern, bool ignoreCase) => Find(pattern, ignoreCase, anyLiteral: false);

    /// <summary>
    /// Returns literals one of which every match of <paramref name="pattern"/> begins with (compared ignoring case, which only adds
    /// candidates), or <see langword="null"/> when the analysis cannot prove such a set. A case-sensitive pattern's literals may
    /// hold any character (the regex compares them exactly); a case-insensitive one's are limited as <see cref="Find(string, bool)"/>'s.
    /// </summary>
    public static IReadOnlyList<string>? FindStartLiterals(string pattern, bool ignoreCase)
    {
        StartAnchor[]? anchors = Find(pattern, ignoreCase, anyLiteral: !ignoreCase);
        return anchors is not null && anchors.All(a => a.Offset == 0) ? [.. anchors.Select(a => a.Literal).Distinct(StringComparer.Ordinal)] : null;
    }

    private static StartAnchor[]? Find(string pattern, bool ignoreCase, bool anyLiteral)
    {
        int pos = 0;
        Part part = ParseAlternation(pattern, ref pos, anyLiteral);
        if (part.Failed || part.Anchors is null || part.Anchors.Count == 0)
        {
            return null;
        }

        var anchors = new List<StartAnchor>();
        foreach (StartAnchor anchor in part.Anchors)
        {
            foreach (string variant in Variants(anchor.Literal, ignoreCase))
            {
                anchors.Add(anchor with { Literal = variant });
            }
        }

        return anchors.Count > MaxAnchors ? null : anchors.Distinct().ToArray();
    }

    private static List<string> Variants(string literal, bool ignoreCase)
    {
        if (!ignoreCase)
        {
            return [literal];
        }

        // The regex matches K, k and U+212A KELVIN SIGN alike; ToUpperInvariant leaves U+212A alone. Keep at most two k's.
        int third = -1;
        int count = 0;
        for (int i = 0; i < literal.Length; i++)
        {
            if ((literal[i] | 0x20) == 'k' && ++count == 3)
            {
                third = i;
                break;
            }
        }

        string kept = third < 0 ? literal : literal[..third];
        var variants = new List<string> { kept };
        for (int i = 0; i < kept.Length; i++)
        {
            if ((kept[i] | 0x20) == 'k')
            {
                int n = variants.Count;
                for (int v = 0; v < n; v++)
                {
                    variants.Add(string.Concat(variants[v].AsSpan(0, i), "\u212A", variants[v].AsSpan(i + 1)));
                }
            }
        }

        return variants;
    }

    /// <summary>Alternatives up to the closing parenthesis (not consumed) or the end.</summary>
    private static Part ParseAlternation(string p, ref int pos, bool anyLiteral)
    {
        Part result = ParseSequence(p, ref pos, anyLiteral);
        while (!result.Failed && pos < p.Length && p[pos] == '|')
        {
            pos++;
            Part next = ParseSequence(p, ref pos, anyLiteral);
            if (next.Failed || (next.Anchors is null) != (result.Anchors is null))
            {
                return Part.Fail;
            }

            result = result.Anchors is null
                ? Part.OfWidth(Math.Max(result.Width, next.Width))
                : Part.Of([.. result.Anchors, .. next.Anchors!]);
        }

        return result;
    }

    /// <summary>One alternative: tokens until <c>|</c>, <c>)</c> or the end; the rest after the first literal is skipped.</summary>
    private static Part ParseSequence(string p, ref int pos, bool anyLiteral)
    {
        int width = 0;
        bool boundary = false;     // a \b right before what comes next, with nothing of width in between
        while (pos < p.Length && p[pos] != '|' && p[pos] != ')')
        {
            List<string>? run = ReadRun(p, ref pos, anyLiteral);
            if (run is not null)
            {
                SkipSequence(p, ref pos);
                bool wordStart = boundary && width == 0;
                return width > MaxOffset ? Part.Fail : Part.Of([.. run.Select(l => new StartAnchor(l, width, wordStart && IsWordChar(l[0])))]);
            }

            char c = p[pos];
            int atomWidth;
            if (c is '^' or '$')
            {
                pos++;
                continue;
            }

            if (c == '\\' && pos + 1 < p.Length && p[pos + 1] is 'b' or 'B' or 'A' or 'G' or 'z' or 'Z')
            {
                boundary |= p[pos + 1] == 'b' && width == 0;
                pos += 2;
                continue;
            }

            if (c == '(')
            {
                if (!TryParseGroup(p, ref pos, out Part inner, out bool zeroWidth, anyLiteral) || !TryParseQuantifier(p, ref pos, out int min, out int max))
                {
                    return Part.Fail;
                }

                if (zeroWidth)
                {
                    continue;
                }

                if (inner.Anchors is not null)
                {
                    if (min == 0)
                    {
                        return Part.Fail;   // an optional group: matches need not contain its literal
                    }

                    SkipSequence(p, ref pos);
                    bool wordStart = boundary && width == 0;
                    return Part.Of([.. inner.Anchors.Select(a => a with
                    {
                        Offset = a.Offset + width,
                        WordStart = a.WordStart || (wordStart && a.Offset == 0 && IsWordChar(a.Literal[0])),
                    })]);
                }

                if (max < 0)
                {
                    return Part.Fail;
                }

                atomWidth = inner.Width * max;
            }
            else if (c is '*' or '+' or '?' or '{')
            {
                return Part.Fail;
            }
            else if (TryPeekLiteral(p, pos, out char ch, out int size) && IsAnchorChar(ch, anyLiteral))
            {
                // A quantified first character: its minimum repetition is the anchor, or it only adds width.
                int after = pos + size;
                if (!TryParseQuantifier(p, ref after, out int min, out int max))
                {
                    return Part.Fail;
                }

                pos = after;
                if (min > 0)
                {
                    SkipSequence(p, ref pos);
                    bool wordStart = boundary && width == 0 && IsWordChar(ch);
                    return width > MaxOffset ? Part.Fail : Part.Of([new StartAnchor(new string(ch, Math.Min(min, MaxLiteral)), width, wordStart)]);
                }

                if (max < 0)
                {
                    return Part.Fail;
                }

                atomWidth = max;
            }
            else
            {
                // A class, '.', an escape such as \d, or a literal the matcher cannot stand for: one character of some set.
                if (TryPeekLiteral(p, pos, out _, out int skip))
                {
                    pos += skip;
                }
                else if (!TrySkipClass(p, ref pos))
                {
                    return Part.Fail;
                }

                if (!TryParseQuantifier(p, ref pos, out _, out int max) || max < 0)
                {
                    return Part.Fail;
                }

                atomWidth = max;
            }

            width += atomWidth;
            if (width > MaxOffset)
            {
                return Part.Fail;
            }
        }

        return Part.OfWidth(width);
    }

    /// <summary>
    /// Reads a run of literal text at <paramref name="pos"/>: characters, small unquantified classes (<c>gh[pousr]_</c>) and unquantified
    /// groups of literal alternatives (<c>sk_(?:live|test)_</c>), expanded into at most <see cref="MaxVariants"/> literals. A quantified
    /// character ends the run before it. Returns <see langword="null"/> (and leaves <paramref name="pos"/>) when the run is empty.
    /// </summary>
    private static List<string>? ReadRun(string p, ref int pos, bool anyLiteral)
    {
        List<string> run = [string.Empty];
        int at = pos;
        while (at < p.Length && run.TrueForAll(l => l.Length < MaxLiteral))
        {
            List<string>? options = ReadOptions(p, at, out int next, anyLiteral);
            int afterQuantifier = next;
            if (options is null || !TryParseQuantifier(p, ref afterQuantifier, out _, out _) || afterQuantifier != next
                || run.Count * options.Count > MaxVariants)
            {
                break;
            }

            run = [.. run.SelectMany(l => options.Select(o => l + o))];
            at = next;
        }

        if (run[0].Length == 0)
        {
            return null;
        }

        pos = at;
        return [.. run.Select(l => l.Length > MaxLiteral ? l[..MaxLiteral] : l).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The literal options of the atom at <paramref name="at"/>: one character, a small class, or a group of literal alternatives.</summary>
    private static List<string>? ReadOptions(string p, int at, out int next, bool anyLiteral)
    {
        next = at;
        if (TryPeekLiteral(p, at, out char c, out int size))
        {
            next = at + size;
            return IsAnchorChar(c, anyLiteral) ? [c.ToString()] : null;
        }

        if (p[at] == '[')
        {
            var chars = new List<string>();
            int i = at + 1;
            while (i < p.Length && p[i] != ']')
            {
                if (p[i] is '^' or '-' or '[' || !TryPeekLiteral(p, i, out char m, out int s) || !IsAnchorChar(m, anyLiteral))
                {
                    return null;   // negation, ranges, subtractions, escapes such as \d
                }

                chars.Add(m.ToString());
                i += s;
            }

            next = i + 1;
            return i < p.Length && chars.Count is > 0 and <= 8 ? chars : null;
        }

        if (p[at] == '(' && p.AsSpan(at).StartsWith("(?:"))
        {
            var alternatives = new List<string> { string.Empty };
            int i = at + 3;
            while (i < p.Length && p[i] != ')')
            {
                if (p[i] == '|')
                {
                    alternatives.Add(string.Empty);
                    i++;
                }
                else if (TryPeekLiteral(p, i, out char m, out int s) && IsAnchorChar(m, anyLiteral))
                {
                    int quantified = i + s;
                    if (!TryParseQuantifier(p, ref quantified, out _, out _) || quantified != i + s)
                    {
                        return null;
                    }

                    alternatives[^1] += m;
                    i += s;
                }
                else
                {
                    return null;
                }
            }

            next = i + 1;
            return i < p.Length && alternatives.TrueForAll(a => a.Length > 0) && alternatives.Count <= 8 ? alternatives : null;
        }

        return null;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    /// <summary>Parses a group at <paramref name="pos"/> (an opening parenthesis) up to and including its closing parenthesis.</summary>
    private static bool TryParseGroup(string p, ref int pos, out Part inner, out bool zeroWidth, bool anyLiteral)
    {
        inner = Part.Fail;
        zeroWidth = false;
        int at = pos + 1;
        if (at < p.Length && p[at] == '?')
        {
            at++;
            if (at >= p.Length)
            {
                return false;
            }

            if (p[at] is ':' or '>')
            {
                at++;
            }
            else if (p[at] is '=' or '!' || (p[at] == '<' && at + 1 < p.Length && p[at + 1] is '=' or '!'))
            {
                zeroWidth = true;
            }
            else if (p[at] is '<' or '\'')
            {
                char close = p[at] == '<' ? '>' : '\'';
                int end = p.IndexOf(close, at + 1);
                if (end < 0 || !p.AsSpan(at + 1, end - at - 1).ContainsOnlyWordCharacters())
                {
                    return false;   // balancing groups and the like
                }

                at = end + 1;
            }
            else
            {
                return false;       // inline options, conditionals
            }
        }

        pos = at;
        if (zeroWidth)
        {
            return SkipGroup(p, ref pos);
        }

        inner = ParseAlternation(p, ref pos, anyLiteral);
        if (inner.Failed)
        {
            return false;
        }

        if (inner.Anchors is not null)
        {
            SkipGroupRest(p, ref pos);
        }

        if (pos >= p.Length || p[pos] != ')')
        {
            return false;
        }

        pos++;
        return true;
    }

    private static bool ContainsOnlyWordCharacters(this ReadOnlySpan<char> name)
    {
        foreach (char c in name)
        {
            if (!char.IsLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return name.Length > 0;
    }

    /// <summary>Skips the rest of a zero-width group and its closing parenthesis.</summary>
    private static bool SkipGroup(string p, ref int pos)
    {
        SkipGroupRest(p, ref pos);
        if (pos >= p.Length)
        {
            return false;
        }

        pos++;
        return true;
    }

    /// <summary>Moves to the closing parenthesis of the current group (or the end), over escapes, classes and nested groups.</summary>
    private static void SkipGroupRest(string p, ref int pos)
    {
        int depth = 0;
        while (pos < p.Length)
        {
            char c = p[pos];
            if (c == '\\')
            {
                pos += 2;
                continue;
            }

            if (c == '[')
            {
                if (!TrySkipClass(p, ref pos))
                {
                    pos = p.Length;
                }

                continue;
            }

            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                if (depth == 0)
                {
                    return;
                }

                depth--;
            }

            pos++;
        }
    }

    /// <summary>Moves to the end of the current alternative: the next <c>|</c> or <c>)</c> at this depth, or the end.</summary>
    private static void SkipSequence(string p, ref int pos)
    {
        while (pos < p.Length && p[pos] != '|' && p[pos] != ')')
        {
            if (p[pos] == '(')
            {
                pos++;
                SkipGroupRest(p, ref pos);
                pos = Math.Min(pos + 1, p.Length);
            }
            else if (p[pos] == '[')
            {
                if (!TrySkipClass(p, ref pos))
                {
                    pos = p.Length;
                }
            }
            else
            {
                pos += p[pos] == '\\' ? 2 : 1;
            }
        }

        pos = Math.Min(pos, p.Length);
    }

    /// <summary>Skips one character-matching atom: a class <c>[...]</c> (subtractions included), <c>.</c>, or an escape such as <c>\d</c>.</summary>
    private static bool TrySkipClass(string p, ref int pos)
    {
        char c = p[pos];
        if (c == '.')
        {
            pos++;
            return true;
        }

        if (c == '\\')
        {
            if (pos + 1 >= p.Length)
            {
                return false;
            }

            char e = p[pos + 1];
            pos += 2;
            switch (e)
            {
                case 'p' or 'P':
                    int close = p.IndexOf('}', pos);
                    if (close < 0)
                    {
                        return false;
                    }

                    pos = close + 1;
                    return true;
                case 'u':
                    pos += 4;
                    return pos <= p.Length;
                case 'x':
                    pos += 2;
                    return pos <= p.Length;
                case 'c':
                    pos += 1;
                    return pos <= p.Length;
                case 'd' or 'D' or 'w' or 'W' or 's' or 'S' or 't' or 'n' or 'r' or 'f' or 'v' or 'e' or 'a':
                    return true;
                default:
                    return false;   // back-references, named references, octal
            }
        }

        // [...]: the first ']' (after an optional '^' and a leading ']') closes it; "-[" opens a subtraction.
        int depth = 0;
        pos++;
        while (pos < p.Length)
        {
            char d = p[pos];
            if (d == '\\')
            {
                pos += 2;
                continue;
            }

            if (d == '[' && p[pos - 1] == '-')
            {
                depth++;
            }
            else if (d == ']')
            {
                pos++;
                if (depth == 0)
                {
                    return true;
                }

                depth--;
                continue;
            }

            pos++;
        }

        return false;
    }

    /// <summary>Parses an optional quantifier; <paramref name="max"/> is negative for an unbounded one. No quantifier: <c>{1,1}</c>.</summary>
    private static bool TryParseQuantifier(string p, ref int pos, out int min, out int max)
    {
        min = 1;
        max = 1;
        if (pos >= p.Length)
        {
            return true;
        }

        switch (p[pos])
        {
            case '*':
                (min, max) = (0, -1);
                pos++;
                break;
            case '+':
                (min, max) = (1, -1);
                pos++;
                break;
            case '?':
                (min, max) = (0, 1);
                pos++;
                break;
            case '{':
                int close = p.IndexOf('}', pos);
                if (close < 0)
                {
                    return false;
                }

                ReadOnlySpan<char> body = p.AsSpan(pos + 1, close - pos - 1);
                int comma = body.IndexOf(',');
                if (comma < 0)
                {
                    if (!int.TryParse(body, out min))
                    {
                        return false;
                    }

                    max = min;
                }
                else if (!int.TryParse(body[..comma], out min))
                {
                    return false;
                }
                else if (comma == body.Length - 1)
                {
                    max = -1;
                }
                else if (!int.TryParse(body[(comma + 1)..], out max))
                {
                    return false;
                }

                pos = close + 1;
                break;
            default:
                return true;
        }

        if (pos < p.Length && p[pos] == '?')
        {
            pos++;   // lazy
        }

        return true;
    }

    private static bool IsEscapedLiteral(string p, int pos) =>
        pos + 1 < p.Length && !char.IsAsciiLetterOrDigit(p[pos + 1]);

    /// <summary>Reads the literal character at <paramref name="pos"/> (plain or escaped punctuation), if it is one.</summary>
    private static bool TryPeekLiteral(string p, int pos, out char c, out int size)
    {
        c = p[pos];
        size = 1;
        if (c == '\\')
        {
            if (!IsEscapedLiteral(p, pos))
            {
                return false;
            }

            c = p[pos + 1];
            size = 2;
            return true;
        }

        return c is not ('(' or ')' or '[' or ']' or '{' or '}' or '|' or '.' or '*' or '+' or '?' or '^' or '$');
    }

    /// <summary>
    /// Characters the anchor matcher folds as the regex does: printable ASCII and Latin-1 letters without special case mappings;
    /// with <paramref name="anyLiteral"/> (a case-sensitive pattern, whose literals are compared exactly) any literal character.
    /// </summary>
    private static bool IsAnchorChar(char c, bool anyLiteral) =>
        (anyLiteral && !char.IsSurrogate(c)) || (c is (>= ' ' and <= '~') or (>= '\u00C0' and <= '\u00FF') && c is not ('\u00C5' or '\u00E5' or '\u00DF' or '\u00FF'));

    private readonly record struct Part(bool Failed, IReadOnlyList<StartAnchor>? Anchors, int Width)
    {
        public static Part Fail => new(true, null, 0);

        public static Part Of(IReadOnlyList<StartAnchor> anchors) => new(false, anchors, 0);

        public static Part OfWidth(int width) => new(false, null, width);
    }
}
