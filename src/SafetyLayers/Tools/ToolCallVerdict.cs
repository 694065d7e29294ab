namespace SafetyLayers;

/// <summary>What the policy says about one tool call before it runs.</summary>
/// <param name="Outcome">Allow, RequireApproval (not yet granted) or Deny.</param>
/// <param name="RuleId">The deciding rule; <see langword="null"/> for a plain allow.</param>
/// <param name="Reason">Why, without argument values.</param>
/// <param name="FlagRuleId">A rule that only flags the call (personal data in the arguments), or <see langword="null"/>.</param>
internal readonly record struct ToolCallVerdict(ToolAccess Outcome, string? RuleId, string? Reason, string? FlagRuleId = null)
{
    public static ToolCallVerdict Allowed { get; } = new(ToolAccess.Allow, null, null);

    public static ToolCallVerdict Denied(string ruleId, string reason) => new(ToolAccess.Deny, ruleId, reason);

    public static ToolCallVerdict NeedsApproval(string ruleId, string reason) => new(ToolAccess.RequireApproval, ruleId, reason);
}
