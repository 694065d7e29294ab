namespace SafetyLayers;

/// <summary>A tool call that needs approval, as handed to an <see cref="IToolApprover"/>.</summary>
public sealed class ToolApprovalRequest
{
    internal ToolApprovalRequest(string toolName, string callId, IReadOnlyDictionary<string, object?> arguments, string ruleId, string reason,
        string? conversationKey, bool tainted)
    {
        ToolName = toolName;
        CallId = callId;
        Arguments = arguments;
        RuleId = ruleId;
        Reason = reason;
        ConversationKey = conversationKey;
        Tainted = tainted;
    }

    /// <summary>Gets the name of the tool.</summary>
    public string ToolName { get; }

    /// <summary>Gets the id the model gave the call (empty when the tool was invoked outside MEAI's function invocation).</summary>
    public string CallId { get; }

    /// <summary>Gets the arguments of the call, already checked against the policy.</summary>
    public IReadOnlyDictionary<string, object?> Arguments { get; }

    /// <summary>Gets the id of the rule that asks for approval (for example <c>SL-TOOL-0008</c> for egress after untrusted content).</summary>
    public string RuleId { get; }

    /// <summary>Gets why the call needs approval.</summary>
    public string Reason { get; }

    /// <summary>Gets the key of the conversation, or <see langword="null"/> when the request has none.</summary>
    public string? ConversationKey { get; }

    /// <summary>Gets a value indicating whether untrusted content has entered the conversation.</summary>
    public bool Tainted { get; }
}
