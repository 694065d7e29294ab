using Microsoft.Extensions.AI;

namespace SafetyLayers;

/// <summary>Reports tool decisions to the decision callback and the audit layer, and words denials for the model.</summary>
internal static class ToolDecisions
{
    public static void Report(ToolPolicy policy, string toolName, string callId, GuardrailAction action, string? ruleId, string? reason,
        TimeSpan latency = default, IDictionary<string, object?>? arguments = null)
    {
        bool enforced = !policy.Options.MonitorOnly;
        string? serialized = arguments is { Count: > 0 } && AuditScope.Current is not null
            ? ToolArgumentValue.Render(arguments, AIJsonUtilities.DefaultOptions)
            : null;
        GuardrailAudit.ReportToolDecision(toolName, action, ToolRuleIds.AsList(ruleId), enforced ? reason : reason + " (monitor only)", latency, serialized);
        if (policy.Options.OnDecision is { } callback)
        {
            callback(new ToolDecision(toolName, callId, action, ruleId, reason, enforced));
        }
    }

    public static string DenialMessage(ToolPolicyOptions options, string toolName, string ruleId, string reason) =>
        options.DenialMessage.Replace("{tool}", toolName, StringComparison.Ordinal)
            .Replace("{rule}", ruleId, StringComparison.Ordinal)
            .Replace("{reason}", reason, StringComparison.Ordinal);
}
