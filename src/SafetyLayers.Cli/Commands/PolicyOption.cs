namespace SafetyLayers.Cli.Commands;

/// <summary>Resolves the <c>--policy</c> option shared by <c>scan</c> and <c>eval</c>.</summary>
internal static class PolicyOption
{
    /// <summary>Returns the policy of a rule-pack file, or the default input and output policies together.</summary>
    public static ScanPolicy Resolve(string? path) =>
        path is null ? ScanPolicies.DefaultCombined : new ScanPolicyBuilder().AddPack(RulePack.LoadFile(path)).Build();
}
