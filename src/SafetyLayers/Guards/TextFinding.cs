namespace SafetyLayers;

/// <summary>One finding of a <see cref="TextScanner"/>: the rule that fired, its action and the span it covers.</summary>
/// <param name="Index">The index of the first character of the finding in the scanned text.</param>
/// <param name="Length">The number of characters of the finding.</param>
/// <param name="Action">What the policy does with the finding.</param>
/// <param name="RuleId">The id of the rule that fired.</param>
/// <param name="Category">The category of the rule.</param>
/// <param name="Label">The redaction label, such as <c>EMAIL</c>.</param>
internal readonly record struct TextFinding(int Index, int Length, GuardrailAction Action, string RuleId, string Category, string Label)
{
    /// <summary>Gets the index just past the last character of the finding.</summary>
    public int End => Index + Length;

    /// <summary>Returns a copy moved by <paramref name="offset"/> characters.</summary>
    public TextFinding Shift(int offset) => this with { Index = Index + offset };
}
