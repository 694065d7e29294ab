namespace SafetyLayers;

/// <summary>A detector that matches any of a list of phrases, with word boundaries, in the normalized text.</summary>
/// <remarks>
/// A phrase may contain alternation groups that expand when the detector is created:
/// <c>"ignore (all |)(previous|prior) instructions"</c> stands for four phrases. Every phrase rule of a policy compiles into
/// one matcher, so adding phrases does not add passes over the text. A phrase that starts or ends with a letter or digit
/// only matches where the text has a word boundary there (scripts written without spaces, such as Chinese and Japanese, are exempt).
/// </remarks>
public sealed class PhraseDetector : RuleDetector
{
    private const int MaxExpansions = 4096;

    /// <summary>Initializes a new instance of the <see cref="PhraseDetector"/> class.</summary>
    /// <param name="phrases">The phrases, possibly with <c>(a|b|)</c> alternation groups.</param>
    /// <exception cref="ArgumentNullException"><paramref name="phrases"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A phrase is empty, has an unbalanced group or expands to more than 4,096 phrases.</exception>
    public PhraseDetector(IEnumerable<string> phrases)
    {
        ArgumentNullException.ThrowIfNull(phrases);
        Patterns = [.. phrases];
        if (Patterns.Count == 0)
        {
            throw new ArgumentException("A phrase detector needs at least one phrase.", nameof(phrases));
        }

        var expanded = new List<string>();
        foreach (string phrase in Patterns)
        {
            Expand(phrase, expanded);
        }

        Phrases = expanded.Distinct(StringComparer.Ordinal).ToArray();
        MaxMatchLength = Phrases.Max(p => p.Length);
    }

    /// <summary>Gets the phrases as written, with their alternation groups.</summary>
    public IReadOnlyList<string> Patterns { get; }

    /// <summary>Gets the expanded phrases, before normalization.</summary>
    public IReadOnlyList<string> Phrases { get; }

    /// <summary>Gets or initializes the extra forms of every phrase that the policy also matches (ROT13, without spaces).</summary>
    /// <value>The default value is <see cref="PhraseVariants.None"/>. Variants multiply the number of patterns, so packs give them to a few core rules.</value>
    public PhraseVariants Variants { get; init; }

    /// <inheritdoc/>
    public override int MaxMatchLength { get; }

    private static void Expand(string phrase, List<string> output)
    {
        if (string.IsNullOrWhiteSpace(phrase))
        {
            throw new ArgumentException("A phrase is empty.", nameof(phrase));
        }

        // Parse into a sequence of parts, each a list of options; a literal is a part with one option.
        // A backslash makes the next character literal, so "\\(" matches a parenthesis.
        var parts = new List<List<string>>();
        var current = new System.Text.StringBuilder();
        List<string>? group = null;
        for (int i = 0; i < phrase.Length; i++)
        {
            char c = phrase[i];
            if (c == '\\' && i + 1 < phrase.Length)
            {
                current.Append(phrase[++i]);
            }
            else if (c == '(')
            {
                if (group is not null)
                {
                    throw new ArgumentException($"The phrase \"{phrase}\" has a nested group.", nameof(phrase));
                }

                parts.Add([current.ToString()]);
                current.Clear();
                group = [];
            }
            else if (c == '|' && group is not null)
            {
                group.Add(current.ToString());
                current.Clear();
            }
            else if (c == ')')
            {
                if (group is null)
                {
                    throw new ArgumentException($"The phrase \"{phrase}\" has an unbalanced group.", nameof(phrase));
                }

                group.Add(current.ToString());
                current.Clear();
                parts.Add(group);
                group = null;
            }
            else
            {
                current.Append(c);
            }
        }

        if (group is not null)
        {
            throw new ArgumentException($"The phrase \"{phrase}\" has an unbalanced group.", nameof(phrase));
        }

        parts.Add([current.ToString()]);
        var partial = new List<string> { string.Empty };
        foreach (List<string> options in parts)
        {
            partial = [.. partial.SelectMany(p => options.Select(o => p + o))];
            if (partial.Count > MaxExpansions)
            {
                throw new ArgumentException($"The phrase \"{phrase}\" expands to more than {MaxExpansions} phrases.", nameof(phrase));
            }
        }

        foreach (string p in partial)
        {
            string collapsed = string.Join(' ', p.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            if (collapsed.Length > 0)
            {
                output.Add(collapsed);
            }
        }
    }
}
