using Microsoft.Extensions.Logging;

namespace SafetyLayers;

/// <summary>The log events of the guard layers. They carry rule ids and counts, never prompt or response text.</summary>
internal static partial class GuardrailsLog
{
    [LoggerMessage(EventId = 1, EventName = "GuardrailVerdict", Level = LogLevel.Information,
        Message = "{Stage} guard verdict {Action} (enforced: {Enforced}); rules: {RuleIds}")]
    public static partial void Verdict(ILogger logger, GuardrailStage stage, GuardrailAction action, bool enforced, string ruleIds);

    [LoggerMessage(EventId = 2, EventName = "GuardrailFailure", Level = LogLevel.Error,
        Message = "{Stage} guard failed; {Outcome}")]
    public static partial void Failure(ILogger logger, GuardrailStage stage, string outcome, Exception exception);

    [LoggerMessage(EventId = 3, EventName = "GuardrailReconfigurationRejected", Level = LogLevel.Error,
        Message = "Reloaded guardrail options were rejected; the previous options stay in force: {Errors}")]
    public static partial void ReconfigurationRejected(ILogger logger, string errors);

    /// <summary>Logs <paramref name="verdict"/> and hands it to <paramref name="callback"/>; quiet verdicts (Allow, no error) are not logged.</summary>
    public static void Report(ILogger logger, Action<GuardrailVerdict>? callback, GuardrailVerdict verdict)
    {
        if (verdict.Error is not null)
        {
            Failure(logger, verdict.Stage, verdict.Enforced ? "failed closed" : "failed open by option", verdict.Error);
        }
        else if (verdict.Action != GuardrailAction.Allow && logger.IsEnabled(LogLevel.Information))
        {
            string ruleIds = string.Join(",", verdict.Findings.Select(f => f.RuleId).Distinct());
            Verdict(logger, verdict.Stage, verdict.Action, verdict.Enforced, ruleIds);
        }

        RecordAudit(verdict);
        callback?.Invoke(verdict);
    }

    /// <summary>Hands the verdict to the audit trail: metrics always, an audit event when an audit layer is recording the call.</summary>
    private static void RecordAudit(GuardrailVerdict verdict)
    {
        bool input = verdict.Stage == GuardrailStage.Input;
        string layer = input ? GuardrailAudit.InputLayer : GuardrailAudit.OutputLayer;
        if (verdict.Error is not null)
        {
            GuardrailAudit.ReportError(layer, verdict.Error);
            return;
        }

        IReadOnlyList<GuardrailFinding> findings = verdict.Findings;
        string[] ruleIds = [.. findings.Select(f => f.RuleId).Distinct(StringComparer.Ordinal)];
        string? category = findings.Count == 0 ? null : findings.MaxBy(f => f.Action).Category;
        AuditSpan[] spans = [.. findings.Select(f => new AuditSpan(f.Index, f.Length, f.RuleId))];
        GuardrailAudit.ReportVerdict(input ? AuditEventKind.InputVerdict : AuditEventKind.OutputVerdict, layer, verdict.Action, ruleIds, category, spans);
    }
}
