using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.AI;
using SafetyLayers.Matching;

namespace SafetyLayers;

/// <summary>
/// The state of one request to the tool layer, shared by the guarded functions of that request across the whole function-invocation
/// loop: the conversation state (taint, private data, conversation budgets), request budgets, and the call ids approved by the caller.
/// </summary>
/// <remarks>Thread-safe: parallel tool calls (<c>AllowConcurrentInvocation</c>) change it under a lock on the conversation state.</remarks>
internal sealed class ToolRequestState
{
    /// <summary>The characters that separate tokens of a private-data result (white space and JSON punctuation).</summary>
    private static readonly SearchValues<char> s_separators = SearchValues.Create(" \t\r\n\"{}[],:<>|=");

    private readonly Dictionary<string, int> _requestCalls = new(StringComparer.Ordinal);
    private readonly HashSet<string> _approved = new(StringComparer.Ordinal);
    private readonly HashSet<string> _agentTools = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GuardedAIFunction> _functions = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private PatternSet? _privateMatcher;
    private int _privateMatcherVersion = -1;
    private int _privateVersion;

    public ToolRequestState(ToolPolicy policy, ToolConversationState conversation, string? conversationKey, TimeProvider timeProvider)
    {
        Policy = policy;
        Conversation = conversation;
        ConversationKey = conversationKey;
        _timeProvider = timeProvider;
    }

    public ToolPolicy Policy { get; }

    public ToolConversationState Conversation { get; }

    public string? ConversationKey { get; }

    public bool Tainted
    {
        get
        {
            lock (Conversation)
            {
                return Conversation.Tainted;
            }
        }
    }

    /// <summary>Marks a tool as another agent: its results are untrusted content.</summary>
    public void AddAgentTool(string name)
    {
        lock (Conversation)
        {
            _agentTools.Add(name);
        }
    }

    /// <summary>Gets the labels of a tool: the policy's, plus <see cref="ToolLabels.UntrustedSource"/> for agents.</summary>
    public ToolLabels LabelsOf(ToolRules rules)
    {
        lock (Conversation)
        {
            return rules.Labels | (_agentTools.Contains(rules.ToolName) ? ToolLabels.UntrustedSource : ToolLabels.None);
        }
    }

    /// <summary>Records a guarded function of this request, for decisions on its approval requests.</summary>
    public void AddFunction(GuardedAIFunction function)
    {
        lock (Conversation)
        {
            _functions[function.Name] = function;
        }
    }

    /// <summary>Decides on a call without running it or counting it (for approval requests); <see langword="null"/> for tools of other layers.</summary>
    public ToolCallVerdict? DryRun(FunctionCallContent call)
    {
        GuardedAIFunction? function;
        lock (Conversation)
        {
            _functions.TryGetValue(call.Name, out function);
        }

        if (function is null)
        {
            return null;
        }

        ToolRules rules = Policy.Resolve(call.Name);
        return Policy.Evaluate(rules, LabelsOf(rules), call.Arguments, ToolSchema.For(function.Inner), call.Exception, this);
    }

    public void Taint(string source)
    {
        lock (Conversation)
        {
            Conversation.Tainted = true;
            if (Conversation.TaintSources.Count < ToolPolicyDefaults.MaxTaintSources && !Conversation.TaintSources.Contains(source))
            {
                Conversation.TaintSources.Add(source);
            }
        }
    }

    public string DescribeTaint()
    {
        lock (Conversation)
        {
            return Conversation.TaintSources.Count == 0 ? "untrusted content" : "from " + string.Join(", ", Conversation.TaintSources);
        }
    }

    public void Approve(string callId)
    {
        lock (Conversation)
        {
            _approved.Add(callId);
        }
    }

    public bool IsApproved(string callId)
    {
        lock (Conversation)
        {
            return callId.Length > 0 && _approved.Contains(callId);
        }
    }

    /// <summary>Keeps the distinctive fragments of a private-data result (identifiers, numbers, addresses, whole lines).</summary>
    public void AddPrivateData(string text)
    {
        var fragments = new List<string>();
        foreach (Range line in text.AsSpan().Split('\n'))
        {
            ReadOnlySpan<char> trimmed = text.AsSpan()[line].Trim();
            if (trimmed.Length >= 20 && trimmed.Length <= 200)
            {
                fragments.Add(trimmed.ToString());
            }
        }

        ReadOnlySpan<char> rest = text;
        while (!rest.IsEmpty)
        {
            int end = rest.IndexOfAny(s_separators);
            ReadOnlySpan<char> token = (end < 0 ? rest : rest[..end]).Trim(".;!?()'`*");
            rest = end < 0 ? default : rest[(end + 1)..];
            if (token.Length >= ToolPolicyDefaults.MinPrivateFragmentLength && token.Length <= 200 && (token.ContainsAnyInRange('0', '9') || token.Contains('@')))
            {
                fragments.Add(token.ToString());
            }
        }

        if (fragments.Count == 0)
        {
            return;
        }

        lock (Conversation)
        {
            foreach (string fragment in fragments)
            {
                if (!Conversation.PrivateData.Contains(fragment))
                {
                    Conversation.PrivateData.Add(fragment);
                }
            }

            _privateVersion++;
            int excess = Conversation.PrivateData.Count - ToolPolicyDefaults.MaxPrivateFragments;
            if (excess > 0)
            {
                Conversation.PrivateData.RemoveRange(0, excess);
            }
        }
    }

    /// <summary>Gets whether any string of the arguments contains a fragment of a private-data result.</summary>
    public bool CarriesPrivateData(IDictionary<string, object?>? arguments)
    {
        if (arguments is not { Count: > 0 } || PrivateMatcher() is not { } matcher)
        {
            return false;
        }

        bool found = false;
        foreach (KeyValuePair<string, object?> argument in arguments)
        {
            found |= !ToolArgumentValue.VisitStrings(argument.Value, ref matcher, static (ref PatternSet m, ReadOnlySpan<char> text) => !m.ContainsAny(text));
            if (found)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Counts a call against every budget of the tool, all or nothing; returns the exhausted budget's description, or <see langword="null"/>.</summary>
    public string? TryConsume(ToolRules rules)
    {
        if (rules.Budgets.Length == 0)
        {
            return null;
        }

        DateTimeOffset now = _timeProvider.GetUtcNow();
        lock (Conversation)
        {
            foreach (ToolBudget budget in rules.Budgets)
            {
                if (Count(budget, now) >= budget.MaxCalls)
                {
                    return budget.Describe();
                }
            }

            foreach (ToolBudget budget in rules.Budgets)
            {
                if (budget.Scope == ToolBudgetScope.Request || ConversationKey is null)
                {
                    _requestCalls[budget.Id] = _requestCalls.GetValueOrDefault(budget.Id) + 1;
                }
                else
                {
                    if (!Conversation.Calls.TryGetValue(budget.Id, out List<DateTimeOffset>? times))
                    {
                        Conversation.Calls[budget.Id] = times = [];
                    }

                    times.Add(now);
                    if (times.Count > budget.MaxCalls)
                    {
                        times.RemoveRange(0, times.Count - budget.MaxCalls);
                    }
                }
            }

            return null;
        }
    }

    /// <summary>Reads what earlier turns left in the history: untrusted and private results, tainted messages, and approval answers.</summary>
    public void AbsorbHistory(IReadOnlyList<ChatMessage> messages)
    {
        // Approval answers of calls that already ran (their result is in the history) were recorded on an earlier turn.
        HashSet<string>? ran = null;
        foreach (ChatMessage message in messages)
        {
            foreach (AIContent content in message.Contents)
            {
                if (content is FunctionResultContent result)
                {
                    (ran ??= new(StringComparer.Ordinal)).Add(result.CallId);
                }
            }
        }

        Dictionary<string, string>? callNames = null;
        foreach (ChatMessage message in messages)
        {
            if (IsTaintedMessage(message))
            {
                Taint(message.AuthorName is { } author ? "agent '" + author + "'" : "a tainted message");
            }
            else if (message.Role == ChatRole.Assistant && message.AuthorName is { Length: > 0 } agent)
            {
                Taint("agent '" + agent + "'");
            }

            foreach (AIContent content in message.Contents)
            {
                switch (content)
                {
                    case FunctionCallContent call:
                        (callNames ??= new(StringComparer.Ordinal))[call.CallId] = call.Name;
                        break;
                    case FunctionResultContent result when callNames is not null && callNames.TryGetValue(result.CallId, out string? name):
                        AbsorbResult(name, result.Result);
                        break;
                    case ToolApprovalResponseContent response when response.ToolCall is FunctionCallContent call && ran?.Contains(call.CallId) != true:
                        if (response.Approved)
                        {
                            Approve(call.CallId);
                        }

                        GuardrailAudit.ReportApproval(call.Name, response.Approved, "caller");
                        break;
                }
            }
        }
    }

    /// <summary>Marks the response's messages with the conversation's taint, so the next agent's pipeline treats them as untrusted.</summary>
    public void Stamp(IList<ChatMessage> messages)
    {
        string sources;
        lock (Conversation)
        {
            if (!Conversation.Tainted)
            {
                return;
            }

            sources = string.Join(", ", Conversation.TaintSources);
        }

        foreach (ChatMessage message in messages)
        {
            message.AdditionalProperties ??= [];
            message.AdditionalProperties[ToolPolicyDefaults.TaintedProperty] = true;
            message.AdditionalProperties[ToolPolicyDefaults.TaintSourcesProperty] = sources;
        }
    }

    /// <summary>Gets whether a value carries the taint mark (a message or response stamped by another agent's tool layer).</summary>
    public static bool IsTaintedMessage(ChatMessage message) =>
        message.AdditionalProperties?.TryGetValue(ToolPolicyDefaults.TaintedProperty, out object? value) == true && IsTrue(value);

    private void AbsorbResult(string toolName, object? result)
    {
        ToolLabels labels = LabelsOf(Policy.Resolve(toolName));
        string? text = null;
        if ((labels & ToolLabels.UntrustedSource) != 0)
        {
            Taint(toolName);
        }
        else
        {
            text = ToolArgumentValue.Render(result, AIJsonUtilities.DefaultOptions);
            if (text.Contains(ToolRuleIds.InjectedResult, StringComparison.Ordinal))
            {
                Taint(toolName);
            }
        }

        if ((labels & ToolLabels.PrivateData) != 0)
        {
            AddPrivateData(text ?? ToolArgumentValue.Render(result, AIJsonUtilities.DefaultOptions));
        }
    }

    private int Count(ToolBudget budget, DateTimeOffset now)
    {
        if (budget.Scope == ToolBudgetScope.Request || ConversationKey is null)
        {
            return _requestCalls.GetValueOrDefault(budget.Id);
        }

        if (!Conversation.Calls.TryGetValue(budget.Id, out List<DateTimeOffset>? times))
        {
            return 0;
        }

        if (budget.Window is not { } window)
        {
            return times.Count;
        }

        int inWindow = 0;
        foreach (DateTimeOffset time in times)
        {
            inWindow += now - time < window ? 1 : 0;
        }

        return inWindow;
    }

    private PatternSet? PrivateMatcher()
    {
        lock (Conversation)
        {
            List<string> fragments = Conversation.PrivateData;
            if (fragments.Count == 0)
            {
                return null;
            }

            if (_privateMatcher is null || _privateMatcherVersion != _privateVersion)
            {
                _privateMatcher = new PatternSetBuilder { IgnoreCase = true, MatchKind = MatchKind.LeftmostFirst }.AddRange(fragments).Build();
                _privateMatcherVersion = _privateVersion;
            }

            return _privateMatcher;
        }
    }

    private static bool IsTrue(object? value) => value switch
    {
        bool b => b,
        string s => bool.TryParse(s, out bool b) && b,
        JsonElement { ValueKind: JsonValueKind.True } => true,
        _ => false,
    };
}
