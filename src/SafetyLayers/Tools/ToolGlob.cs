namespace SafetyLayers;

/// <summary>A name pattern with <c>*</c> (any run of characters, also empty) and <c>?</c> (one character).</summary>
/// <remarks>Matching is linear in practice: it backtracks only to the last <c>*</c>.</remarks>
internal sealed class ToolGlob
{
    private readonly StringComparison _comparison;

    public ToolGlob(string pattern, bool ignoreCase = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        Pattern = pattern;
        _comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        IsExact = pattern.AsSpan().IndexOfAny('*', '?') < 0;
        int literal = 0;
        foreach (char c in pattern)
        {
            literal += c is '*' ? 0 : 1;
        }

        Specificity = literal;
    }

    public string Pattern { get; }

    /// <summary>Gets a value indicating whether the pattern has no wildcard.</summary>
    public bool IsExact { get; }

    /// <summary>Gets how specific the pattern is: the number of characters it pins (every one but <c>*</c>).</summary>
    public int Specificity { get; }

    public bool IsMatch(ReadOnlySpan<char> name)
    {
        ReadOnlySpan<char> pattern = Pattern;
        if (IsExact)
        {
            return name.Equals(pattern, _comparison);
        }

        int p = 0, n = 0, star = -1, mark = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = n;
            }
            else if (p < pattern.Length && (pattern[p] == '?' || Same(pattern[p], name[n])))
            {
                p++;
                n++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                n = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    public override string ToString() => Pattern;

    private bool Same(char a, char b) =>
        a == b || (_comparison == StringComparison.OrdinalIgnoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
}
