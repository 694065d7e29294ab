namespace SafetyLayers.Tests.Tools;

/// <summary>
/// The default agent policy of the agent suites, zero trust for content: every tool's result may carry text an attacker wrote (a
/// transaction memo, a profile field, a page), so every tool is a source of untrusted content; acting tools are egress.
/// </summary>
/// <remarks>
/// Labels only: no allow or deny lists and no argument rules, so what stops an attack is the layer's defaults (result scanning and
/// the flow rule "egress after untrusted content needs approval"), not knowledge of the attacks. Labelling only read tools as untrusted
/// is not enough: in the corpus 82 attacks arrive in the results of acting tools (stake, bridge, update_user_info, ...).
/// </remarks>
internal static class AgentPolicies
{
    public static readonly string[] ReadPatterns = ["get*", "read*", "search*", "list*", "check*", "fetch*"];

    public static readonly string[] EgressPatterns =
    [
        "send*", "transfer*", "pay*", "stake*", "bridge*", "deploy*", "airdrop*", "secure*", "update*", "delete*", "create*", "invite*",
        "reserve*", "trade*", "*Trad*", "*Trading", "exchange*", "upload*", "propose*", "vote*", "post*", "add*", "share*", "append*",
        "cancel*", "reschedule*", "schedule*", "remove*", "gibwork", "provide*", "perform*", "contract*", "limitOrder*", "spot*",
    ];

    public static void Default(ToolPolicyOptions options)
    {
        options.Label("*", ToolLabels.UntrustedSource);

        foreach (string pattern in EgressPatterns)
        {
            options.Label(pattern, ToolLabels.Egress);
        }
    }

    /// <summary>Gets whether a tool only reads (its call changes and sends nothing).</summary>
    public static bool IsRead(string tool) => ReadPatterns.Any(p => new ToolGlob(p).IsMatch(tool));
}
