namespace SafetyLayers;

/// <summary>The stable rule ids of the tool permission layer's decisions.</summary>
internal static class ToolRuleIds
{
    public const string DeniedByRule = "SL-TOOL-0001";
    public const string UnknownToolStrict = "SL-TOOL-0002";
    public const string ArgumentConstraint = "SL-TOOL-0003";
    public const string SecretInArguments = "SL-TOOL-0004";
    public const string PiiInArguments = "SL-TOOL-0005";
    public const string BudgetExceeded = "SL-TOOL-0006";
    public const string ApprovalRequired = "SL-TOOL-0007";
    public const string UntrustedEgress = "SL-TOOL-0008";
    public const string PrivateDataEgress = "SL-TOOL-0009";
    public const string InjectedResult = "SL-TOOL-0010";
    public const string PoisonedDescription = "SL-TOOL-0011";
    public const string ChangedDescription = "SL-TOOL-0012";
    public const string MalformedArguments = "SL-TOOL-0013";
    public const string ApprovalRejected = "SL-TOOL-0014";
    public const string GuardFailure = "SL-TOOL-0015";
    public const string ResultTruncated = "SL-TOOL-0016";

    private static readonly Dictionary<string, string[]> s_lists = new[]
    {
        DeniedByRule, UnknownToolStrict, ArgumentConstraint, SecretInArguments, PiiInArguments, BudgetExceeded, ApprovalRequired,
        UntrustedEgress, PrivateDataEgress, InjectedResult, PoisonedDescription, ChangedDescription, MalformedArguments, ApprovalRejected, GuardFailure, ResultTruncated,
    }.ToDictionary(id => id, id => new[] { id }, StringComparer.Ordinal);

    /// <summary>Gets a shared one-element list holding <paramref name="ruleId"/> (no allocation per decision).</summary>
    public static IReadOnlyList<string>? AsList(string? ruleId) =>
        ruleId is null ? null : s_lists.TryGetValue(ruleId, out string[]? list) ? list : [ruleId];
}
