using System.Buffers;

namespace SafetyLayers.Scanning;

/// <summary>
/// Finds where one of the literals every match of a rule begins with occurs (<see cref="RegexStartAnchors.FindStartLiterals"/>).
/// </summary>
/// <remarks>
/// The literals are searched as two sets: the ASCII ones, and the others (words of other languages, and the Kelvin sign
/// that a case-insensitive <c>k</c> also matches). A set with any non-ASCII literal makes <see cref="SearchValues{T}"/> fall
/// back to a table walk with a dictionary lookup per character, several times slower than its vectorized search of ASCII
/// literals; and a non-ASCII literal can only occur in text that holds a non-ASCII character (ordinally, with or without
/// regard to case, no non-ASCII character equals an ASCII one), which most chat does not.
/// </remarks>
internal sealed class StartLiteralSearch
{
    private readonly SearchValues<string>? _ascii;
    private readonly SearchValues<string>? _others;

    /// <summary>Initializes a new instance of the <see cref="StartLiteralSearch"/> class.</summary>
    /// <param name="literals">The literals, at least one, none empty.</param>
    /// <param name="ignoreCase">Whether the literals match without regard to case (<see cref="StringComparison.OrdinalIgnoreCase"/>).</param>
    public StartLiteralSearch(IReadOnlyCollection<string> literals, bool ignoreCase)
    {
        StringComparison comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        string[] ascii = [.. literals.Where(l => System.Text.Ascii.IsValid(l))];
        string[] others = [.. literals.Where(l => !System.Text.Ascii.IsValid(l))];
        _ascii = ascii.Length > 0 ? SearchValues.Create(ascii, comparison) : null;
        _others = others.Length > 0 ? SearchValues.Create(others, comparison) : null;
        Longest = literals.Max(l => l.Length);
    }

    /// <summary>Gets the length of the longest literal.</summary>
    public int Longest { get; }

    /// <summary>Returns the index in <paramref name="text"/> of the first occurrence of any literal, or -1.</summary>
    public int IndexOfAny(ReadOnlySpan<char> text)
    {
        int found = _ascii is null ? -1 : text.IndexOfAny(_ascii);
        if (_others is not null && text.ContainsAnyExceptInRange('\0', '\u007F'))
        {
            // Only the text before an ASCII literal's occurrence can hold an earlier one (up to a literal's length past it).
            ReadOnlySpan<char> before = found < 0 ? text : text[..Math.Min(text.Length, found + Longest - 1)];
            int other = before.IndexOfAny(_others);
            if (other >= 0 && (found < 0 || other < found))
            {
                found = other;
            }
        }

        return found;
    }
}
