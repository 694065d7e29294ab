using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace SafetyLayers;

/// <summary>Handles what a tool returned before the model sees it: taint and private data for the flow rules, and injection scanning.</summary>
internal static class ToolResults
{
    public static object? Process(ToolRequestState request, ToolRules rules, string toolName, string callId, object? result, JsonSerializerOptions json)
    {
        ToolPolicy policy = request.Policy;
        ToolPolicyOptions options = policy.Options;
        ToolLabels labels = request.LabelsOf(rules);
        if ((labels & ToolLabels.UntrustedSource) != 0 || IsFromTaintedAgent(result))
        {
            request.Taint(toolName);
        }

        string? text = null;
        if ((labels & ToolLabels.PrivateData) != 0 && result is not null)
        {
            text = ToolArgumentValue.Render(result, json);
            request.AddPrivateData(text);
        }

        if (result is null)
        {
            return result;
        }

        if (options.MaxResultTokens > 0)
        {
            text ??= Text(result, json);
            TokenCounter counter = TokenCounter.For(options.TokenEncoding);
            if (counter.Count(text) > options.MaxResultTokens)
            {
                text = text[..counter.FittingLength(text, options.MaxResultTokens)]
                    + $"\n[truncated by policy ({ToolRuleIds.ResultTruncated}): the result exceeded {options.MaxResultTokens} tokens]";
                result = text;
                ToolDecisions.Report(policy, toolName, callId, GuardrailAction.Redact, ToolRuleIds.ResultTruncated,
                    $"the result of '{toolName}' exceeded {options.MaxResultTokens} tokens and was cut");
            }
        }

        if (!options.ScanResults)
        {
            return result;
        }

        text ??= Text(result, json);
        TextScan scan = policy.ResultScanner.Scan(text);
        if (scan.Verdict < GuardrailAction.Block)
        {
            return result;
        }

        request.Taint(toolName);
        GuardrailAction action = options.MonitorOnly ? GuardrailAction.Flag : options.InjectedResultAction switch
        {
            ToolResultAction.Block => GuardrailAction.Block,
            ToolResultAction.Redact => GuardrailAction.Redact,
            _ => GuardrailAction.Flag,
        };
        string firstRule = FirstBlockingRule(scan);
        ToolDecisions.Report(policy, toolName, callId, action, ToolRuleIds.InjectedResult,
            $"the result of '{toolName}' carries an injection ({firstRule})");
        return action switch
        {
            GuardrailAction.Block => options.WithheldResultMessage.Replace("{tool}", toolName, StringComparison.Ordinal)
                .Replace("{rule}", ToolRuleIds.InjectedResult, StringComparison.Ordinal),
            GuardrailAction.Redact => Redact(text, scan),
            _ => result,
        };
    }

    /// <summary>The text of a result as the model will read it.</summary>
    private static string Text(object result, JsonSerializerOptions json) => result switch
    {
        ChatResponse response => response.Text,
        ChatMessage message => message.Text,
        TextContent content => content.Text,
        IEnumerable<AIContent> contents => string.Concat(contents.OfType<TextContent>().Select(c => c.Text)),
        _ => ToolArgumentValue.Render(result, json),
    };

    private static bool IsFromTaintedAgent(object? result) => result switch
    {
        ChatResponse response => response.Messages.Any(ToolRequestState.IsTaintedMessage),
        ChatMessage message => ToolRequestState.IsTaintedMessage(message),
        _ => false,
    };

    private static string FirstBlockingRule(TextScan scan)
    {
        foreach (TextFinding finding in scan.Findings)
        {
            if (finding.Action >= GuardrailAction.Block)
            {
                return finding.RuleId;
            }
        }

        return ToolRuleIds.InjectedResult;
    }

    /// <summary>Replaces every blocking finding with a placeholder naming the rule, so later turns still see that the result was tainted.</summary>
    private static string Redact(string text, TextScan scan)
    {
        var builder = new StringBuilder(text.Length);
        int position = 0;
        foreach (TextFinding finding in scan.Findings)
        {
            if (finding.Action < GuardrailAction.Block || finding.Index < position)
            {
                continue;
            }

            builder.Append(text, position, finding.Index - position).Append("[withheld: ").Append(ToolRuleIds.InjectedResult).Append(']');
            position = finding.End;
        }

        return builder.Append(text, position, text.Length - position).ToString();
    }
}
