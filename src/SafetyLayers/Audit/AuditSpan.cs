namespace SafetyLayers;

/// <summary>Represents where in a text a rule matched: offsets only, never the matched text.</summary>
/// <param name="Start">The zero-based offset of the first matched character.</param>
/// <param name="Length">The number of matched characters.</param>
/// <param name="RuleId">The id of the rule that matched, if known.</param>
public readonly record struct AuditSpan(int Start, int Length, string? RuleId = null);
