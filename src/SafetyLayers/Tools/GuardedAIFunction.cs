using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace SafetyLayers;

/// <summary>
/// Wraps one tool of one request: checks each call against the policy before the tool runs, and scans the result before the model
/// sees it. What runs is this function: MEAI's function invocation finds tools by name in the options it is given.
/// </summary>
internal sealed class GuardedAIFunction : DelegatingAIFunction
{
    private readonly ToolRules _rules;
    private readonly ToolRequestState _request;
    private readonly ToolSchema _schema;
    private ApprovalRequiredAIFunction? _approvalMarker;

    public GuardedAIFunction(AIFunction innerFunction, ToolRules rules, ToolRequestState request)
        : base(innerFunction)
    {
        _rules = rules;
        _request = request;
        _schema = ToolSchema.For(innerFunction);
    }

    /// <summary>Gets the function this one guards.</summary>
    public AIFunction Inner => InnerFunction;

    /// <summary>Answers MEAI's approval question: this tool needs approval now (a rule says so, or egress after untrusted content).</summary>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceType == typeof(ApprovalRequiredAIFunction) && serviceKey is null
            && _request.Policy.NeedsApprovalUpFront(_rules, _request.LabelsOf(_rules), _request))
        {
            return _approvalMarker ??= new ApprovalRequiredAIFunction(this);
        }

        return base.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc/>
    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        FunctionInvocationContext? context = FunctionInvokingChatClient.CurrentContext;
        string callId = context?.CallContent.CallId ?? string.Empty;
        ToolPolicy policy = _request.Policy;
        ToolPolicyOptions options = policy.Options;
        long started = Stopwatch.GetTimestamp();
        ToolCallVerdict verdict;
        using (Activity? span = GuardrailAudit.StartEvaluation(GuardrailAudit.ToolsLayer, Name))
        {
            verdict = await DecideAsync(context, callId, arguments, cancellationToken).ConfigureAwait(false);
            if (span is not null)
            {
                span.SetTag("safetylayers.decision", verdict.Outcome.ToString());
                span.SetTag("safetylayers.rule_ids", verdict.RuleId ?? verdict.FlagRuleId);
            }
        }

        TimeSpan latency = Stopwatch.GetElapsedTime(started);
        if (verdict.Outcome == ToolAccess.Deny)
        {
            ToolDecisions.Report(policy, Name, callId, GuardrailAction.Block, verdict.RuleId, verdict.Reason, latency, arguments);
            if (!options.MonitorOnly)
            {
                if (options.TerminateOnDeny && context is not null)
                {
                    context.Terminate = true;
                }

                return ToolDecisions.DenialMessage(options, Name, verdict.RuleId!, verdict.Reason!);
            }
        }
        else
        {
            GuardrailAction action = verdict.FlagRuleId is not null ? GuardrailAction.Flag : GuardrailAction.Allow;
            ToolDecisions.Report(policy, Name, callId, action, verdict.FlagRuleId ?? verdict.RuleId, verdict.Reason, latency, arguments);
        }

        object? result = await base.InvokeCoreAsync(arguments, cancellationToken).ConfigureAwait(false);
        return ToolResults.Process(_request, _rules, Name, callId, result, JsonSerializerOptions);
    }

    /// <summary>Decides on one call: policy, approval, budgets. A failure of the policy itself denies the call (fail closed).</summary>
    private async ValueTask<ToolCallVerdict> DecideAsync(FunctionInvocationContext? context, string callId, AIFunctionArguments arguments,
        CancellationToken cancellationToken)
    {
        try
        {
            ToolPolicy policy = _request.Policy;
            ToolCallVerdict verdict = policy.Evaluate(_rules, _request.LabelsOf(_rules), arguments, _schema, context?.CallContent.Exception, _request);
            if (verdict.Outcome == ToolAccess.RequireApproval && !policy.Options.MonitorOnly)
            {
                verdict = await ResolveApprovalAsync(verdict, callId, arguments, cancellationToken).ConfigureAwait(false);
            }

            return verdict.Outcome != ToolAccess.Deny && _request.TryConsume(_rules) is { } exhausted
                ? ToolCallVerdict.Denied(ToolRuleIds.BudgetExceeded, exhausted)
                : verdict;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            GuardrailAudit.ReportError(GuardrailAudit.ToolsLayer, ex);
            return ToolCallVerdict.Denied(ToolRuleIds.GuardFailure, "the tool policy failed to decide (fail closed)");
        }
    }

    /// <summary>Grants a call that needs approval when the caller approved its id, or asks the in-process approver; otherwise denies it.</summary>
    private async ValueTask<ToolCallVerdict> ResolveApprovalAsync(ToolCallVerdict verdict, string callId, AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        if (_request.IsApproved(callId))
        {
            return ToolCallVerdict.Allowed with { FlagRuleId = verdict.FlagRuleId };
        }

        if (_request.Policy.Options.Approver is not { } approver)
        {
            return ToolCallVerdict.Denied(verdict.RuleId!, verdict.Reason + "; no approval was given");
        }

        ToolApprovalDecision decision;
        try
        {
            decision = await approver.ApproveAsync(
                new ToolApprovalRequest(Name, callId, arguments, verdict.RuleId!, verdict.Reason!, _request.ConversationKey, _request.Tainted),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            GuardrailAudit.ReportError(GuardrailAudit.ToolsLayer, ex);
            decision = ToolApprovalDecision.Reject("the approver failed");
        }

        GuardrailAudit.ReportApproval(Name, decision.Approved, approver.GetType().Name);
        return decision.Approved
            ? ToolCallVerdict.Allowed with { FlagRuleId = verdict.FlagRuleId }
            : ToolCallVerdict.Denied(ToolRuleIds.ApprovalRejected, "the approver rejected the call" + (decision.Reason is { Length: > 0 } r ? ": " + r : string.Empty));
    }
}
