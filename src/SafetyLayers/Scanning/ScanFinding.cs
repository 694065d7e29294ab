namespace SafetyLayers;

/// <summary>Represents one finding: a rule that fired and the span of the ORIGINAL text it covers.</summary>
/// <remarks>
/// <see cref="Index"/> and <see cref="Length"/> always refer to the text given to <see cref="ScanPolicy.Scan(ReadOnlySpan{char})"/>,
/// even when the rule matched a normalized form of it: redacting <c>text.Substring(Index, Length)</c> removes the real
/// characters, zero-width and look-alike characters included. For an encoded payload the span is the encoded run.
/// </remarks>
/// <param name="Rule">The rule that fired, with the action the policy applies.</param>
/// <param name="Index">The index of the first original character of the finding.</param>
/// <param name="Length">The number of original characters of the finding.</param>
public readonly record struct ScanFinding(ScanRule Rule, int Index, int Length)
{
    /// <summary>Gets the index just past the last original character of the finding.</summary>
    public int End => Index + Length;

    /// <summary>Gets the id of the rule.</summary>
    public string RuleId => Rule.Id;

    /// <summary>Gets the category of the rule.</summary>
    public string Category => Rule.Category;

    /// <summary>Gets the action of the rule in the policy that produced the finding.</summary>
    public GuardrailAction Action => Rule.Action;

    /// <summary>Gets the placeholder that replaces the finding when it is redacted, such as <c>[REDACTED:EMAIL]</c>.</summary>
    public string Placeholder => Rule.Placeholder;
}
