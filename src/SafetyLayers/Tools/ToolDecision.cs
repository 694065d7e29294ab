namespace SafetyLayers;

/// <summary>One decision of the tool permission layer, as handed to <see cref="ToolPolicyOptions.OnDecision"/>.</summary>
/// <param name="ToolName">The tool.</param>
/// <param name="CallId">The id the model gave the call (empty when unknown).</param>
/// <param name="Action">
/// <see cref="GuardrailAction.Allow"/> (ran), <see cref="GuardrailAction.Flag"/> (ran, with findings),
/// <see cref="GuardrailAction.RequireApproval"/> (sent to the approver), <see cref="GuardrailAction.Redact"/> (its result was redacted),
/// or <see cref="GuardrailAction.Block"/> (denied, or its result withheld from the model).
/// </param>
/// <param name="RuleId">The id of the deciding rule, such as <c>SL-TOOL-0001</c>; <see langword="null"/> for a plain allow.</param>
/// <param name="Reason">Why, without argument values.</param>
/// <param name="Enforced"><see langword="false"/> in monitor-only mode, where nothing is denied.</param>
public sealed record ToolDecision(string ToolName, string CallId, GuardrailAction Action, string? RuleId, string? Reason, bool Enforced);
