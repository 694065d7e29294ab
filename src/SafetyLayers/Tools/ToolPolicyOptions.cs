using Microsoft.Extensions.AI;

namespace SafetyLayers;

/// <summary>The options of the tool permission layer: which tools may run, with which arguments, how often, and how data may flow.</summary>
/// <remarks>
/// <para>
/// Name rules take exact names or globs (<c>*</c> any run of characters, <c>?</c> one character). When several permission rules match a
/// tool, an exact name beats a glob, a more specific glob (more pinned characters) beats a less specific one, and at equal specificity
/// <see cref="ToolAccess.Deny"/> beats <see cref="ToolAccess.RequireApproval"/>, which beats <see cref="ToolAccess.Allow"/>.
/// A tool no permission rule matches is allowed, or denied in <see cref="Strict"/> mode. Labels, argument rules and budgets of every
/// matching pattern apply together.
/// </para>
/// <para>
/// With labels set and nothing else configured, the default flow rule applies: once a result of an <see cref="ToolLabels.UntrustedSource"/>
/// tool (or a message of another agent) is in the conversation, <see cref="ToolLabels.Egress"/> tools are not invoked without approval.
/// </para>
/// </remarks>
public sealed class ToolPolicyOptions
{
    private List<(ToolGlob Glob, ToolAccess Permission)> _permissions = [];
    private List<(ToolGlob Glob, ToolLabels Labels)> _labels = [];
    private List<(ToolGlob Glob, ToolArgumentPolicy Policy)> _arguments = [];
    private List<ToolBudget> _budgets = [];

    /// <summary>Gets or sets a value indicating whether the layer checks tool calls at all.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether tools that no permission rule matches are denied.</summary>
    /// <value>The default value is <see langword="false"/>: unknown tools are allowed.</value>
    public bool Strict { get; set; }

    /// <summary>Gets or sets a value indicating whether decisions are only recorded: nothing is denied, withheld or sent for approval.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool MonitorOnly { get; set; }

    /// <summary>Gets or sets a value indicating whether a denial ends the function-invocation loop instead of letting the model continue.</summary>
    /// <value>The default value is <see langword="false"/>: the model receives the denial as the function result and continues.</value>
    public bool TerminateOnDeny { get; set; }

    /// <summary>Gets or sets the text the model receives for a denied call; <c>{tool}</c>, <c>{rule}</c> and <c>{reason}</c> are filled in.</summary>
    public string DenialMessage { get; set; } = ToolPolicyDefaults.DenialMessage;

    /// <summary>Gets or sets a value indicating whether tool results are scanned with the injection detectors before the model sees them.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ScanResults { get; set; } = true;

    /// <summary>Gets or sets what happens to a result in which the injection detectors found something.</summary>
    /// <value>The default is <see cref="ToolResultAction.Block"/>: the model receives <see cref="WithheldResultMessage"/> instead.</value>
    public ToolResultAction InjectedResultAction { get; set; }

    /// <summary>Gets or sets the notice the model receives instead of a withheld result; <c>{tool}</c> and <c>{rule}</c> are filled in.</summary>
    public string WithheldResultMessage { get; set; } = ToolPolicyDefaults.WithheldResultMessage;

    /// <summary>Gets or sets the most tokens of a tool result the model receives; 0 for no limit.</summary>
    /// <value>
    /// The default is 0. A longer result is cut at a token boundary and ends with a notice naming rule <c>SL-TOOL-0016</c>, so one
    /// huge page or file cannot flood the model's context (counted with <see cref="TokenEncoding"/>).
    /// </value>
    public int MaxResultTokens { get; set; }

    /// <summary>Gets or sets the tokenizer <see cref="MaxResultTokens"/> counts with.</summary>
    /// <value>The default is <see cref="SafetyLayers.TokenEncoding.O200kBase"/>.</value>
    public TokenEncoding TokenEncoding { get; set; }

    /// <summary>Gets or sets the policy that scans tool results and tool descriptions; <see langword="null"/> for the default input policy.</summary>
    public ScanPolicy? ResultPolicy { get; set; }

    /// <summary>Gets or sets a value indicating whether argument values are scanned for secrets and personal data leaving through a tool call.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ScanArguments { get; set; } = true;

    /// <summary>Gets or sets the policy that scans argument values; <see langword="null"/> for the default output policy (PII and secrets).</summary>
    public ScanPolicy? ArgumentPolicy { get; set; }

    /// <summary>Gets or sets what a secret in the arguments does to the call.</summary>
    /// <value>The default is <see cref="GuardrailAction.Block"/>: the call is denied.</value>
    public GuardrailAction SecretInArguments { get; set; } = GuardrailAction.Block;

    /// <summary>Gets or sets what personal data in the arguments does to the call.</summary>
    /// <value>The default is <see cref="GuardrailAction.Flag"/>: the call runs and the finding is recorded (an email to a named recipient still goes out).</value>
    public GuardrailAction PiiInArguments { get; set; } = GuardrailAction.Flag;

    /// <summary>Gets or sets a value indicating whether tool descriptions and schemas are scanned at first sight and pinned by hash.</summary>
    /// <value>
    /// The default value is <see langword="true"/>: a tool whose description carries an injection, or whose description or schema changed
    /// since it was first seen by this client ("rug pull"), is withdrawn from the request and recorded.
    /// </value>
    public bool PinDescriptions { get; set; } = true;

    /// <summary>Gets or sets what an egress call needs once untrusted content is in the conversation.</summary>
    /// <value>The default is <see cref="ToolAccess.RequireApproval"/>.</value>
    public ToolAccess UntrustedEgress { get; set; } = ToolAccess.RequireApproval;

    /// <summary>Gets or sets what an egress call needs when its arguments carry text of a private-data result (conversation not tainted).</summary>
    /// <value>The default is <see cref="ToolAccess.Allow"/>: sending one's own data on one's own request is the point of many agents.</value>
    public ToolAccess PrivateDataEgress { get; set; }

    /// <summary>Gets or sets what an egress call needs when its arguments carry text of a private-data result and the conversation is tainted.</summary>
    /// <value>The default is <see cref="ToolAccess.Deny"/>: the "lethal trifecta" of untrusted content, private data and egress.</value>
    public ToolAccess TaintedPrivateDataEgress { get; set; } = ToolAccess.Deny;

    /// <summary>Gets or sets the approver of calls that need approval; <see langword="null"/> to ask the caller through MEAI's approval flow.</summary>
    public IToolApprover? Approver { get; set; }

    /// <summary>Gets or sets where conversation state lives; <see langword="null"/> for a bounded, expiring in-memory store per client.</summary>
    public IToolStateStore? StateStore { get; set; }

    /// <summary>
    /// Gets or sets how a request's conversation key is found; <see langword="null"/> (or a <see langword="null"/> result) falls back to
    /// <see cref="ChatOptions.ConversationId"/>. Without a key, taint comes from the request's own history and budgets count within it.
    /// </summary>
    public Func<IReadOnlyList<ChatMessage>, ChatOptions?, string?>? ConversationKeySelector { get; set; }

    /// <summary>Gets or sets a callback that receives every decision. It must be thread-safe and must not throw.</summary>
    public Action<ToolDecision>? OnDecision { get; set; }

    internal IReadOnlyList<(ToolGlob Glob, ToolAccess Permission)> PermissionRules => _permissions;

    internal IReadOnlyList<(ToolGlob Glob, ToolLabels Labels)> LabelRules => _labels;

    internal IReadOnlyList<(ToolGlob Glob, ToolArgumentPolicy Policy)> ArgumentRules => _arguments;

    internal IReadOnlyList<ToolBudget> Budgets => _budgets;

    /// <summary>Allows the tools whose names match <paramref name="pattern"/>.</summary>
    /// <param name="pattern">An exact name or a glob.</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> is empty.</exception>
    public ToolPolicyOptions Allow(string pattern) => AddPermission(pattern, ToolAccess.Allow);

    /// <summary>Denies the tools whose names match <paramref name="pattern"/>.</summary>
    /// <param name="pattern">An exact name or a glob.</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> is empty.</exception>
    public ToolPolicyOptions Deny(string pattern) => AddPermission(pattern, ToolAccess.Deny);

    /// <summary>Lets the tools whose names match <paramref name="pattern"/> run only once approved.</summary>
    /// <param name="pattern">An exact name or a glob.</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> is empty.</exception>
    public ToolPolicyOptions RequireApproval(string pattern) => AddPermission(pattern, ToolAccess.RequireApproval);

    /// <summary>Labels the tools whose names match <paramref name="pattern"/> for the information-flow rules.</summary>
    /// <param name="pattern">An exact name or a glob.</param>
    /// <param name="labels">The labels, added to those of other matching patterns.</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> is empty.</exception>
    public ToolPolicyOptions Label(string pattern, ToolLabels labels)
    {
        _labels.Add((new ToolGlob(pattern), labels));
        return this;
    }

    /// <summary>Adds argument rules for the tools whose names match <paramref name="pattern"/>.</summary>
    /// <param name="pattern">An exact name or a glob.</param>
    /// <param name="configure">Configures the rules.</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> is empty, or a rule is invalid.</exception>
    public ToolPolicyOptions Constrain(string pattern, Action<ToolArgumentPolicy> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var glob = new ToolGlob(pattern);
        var policy = new ToolArgumentPolicy(pattern);
        configure(policy);
        _arguments.Add((glob, policy));
        return this;
    }

    /// <summary>Limits the calls of the tools whose names match <paramref name="pattern"/> within one request, counted together (<c>*</c> limits all calls).</summary>
    /// <param name="pattern">An exact name or a glob.</param>
    /// <param name="maxCalls">The most calls allowed.</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCalls"/> is negative.</exception>
    public ToolPolicyOptions Limit(string pattern, int maxCalls) => Limit(pattern, maxCalls, ToolBudgetScope.Request);

    /// <summary>Limits the calls of the tools whose names match <paramref name="pattern"/>, counted together (<c>*</c> limits all calls).</summary>
    /// <param name="pattern">An exact name or a glob.</param>
    /// <param name="maxCalls">The most calls allowed.</param>
    /// <param name="scope">Whether calls count per request or per conversation.</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCalls"/> is negative, or <paramref name="scope"/> is not defined.</exception>
    public ToolPolicyOptions Limit(string pattern, int maxCalls, ToolBudgetScope scope)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCalls);
        if (!Enum.IsDefined(scope))
        {
            throw new ArgumentOutOfRangeException(nameof(scope), scope, "Unknown budget scope.");
        }

        _budgets.Add(new ToolBudget(new ToolGlob(pattern), maxCalls, scope, null));
        return this;
    }

    /// <summary>Limits the calls of the matching tools within any window of length <paramref name="window"/> of one conversation.</summary>
    /// <param name="pattern">An exact name or a glob.</param>
    /// <param name="maxCalls">The most calls allowed within any window.</param>
    /// <param name="window">The length of the sliding window, measured with the pipeline's <see cref="TimeProvider"/>.</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCalls"/> is negative or <paramref name="window"/> is not positive.</exception>
    public ToolPolicyOptions Limit(string pattern, int maxCalls, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCalls);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        _budgets.Add(new ToolBudget(new ToolGlob(pattern), maxCalls, ToolBudgetScope.Conversation, window));
        return this;
    }

    internal ToolPolicyOptions Clone()
    {
        var clone = (ToolPolicyOptions)MemberwiseClone();
        clone._permissions = [.. _permissions];
        clone._labels = [.. _labels];
        clone._arguments = [.. _arguments];
        clone._budgets = [.. _budgets];
        return clone;
    }

    internal void AddErrors(List<string> errors, string prefix)
    {
        if (string.IsNullOrWhiteSpace(DenialMessage))
        {
            errors.Add($"{prefix}DenialMessage must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(WithheldResultMessage))
        {
            errors.Add($"{prefix}WithheldResultMessage must not be empty.");
        }

        if (MaxResultTokens < 0)
        {
            errors.Add($"{prefix}MaxResultTokens must be 0 (no limit) or positive (was {MaxResultTokens}).");
        }

        if (!Enum.IsDefined(InjectedResultAction))
        {
            errors.Add($"{prefix}InjectedResultAction has an unknown value '{InjectedResultAction}'.");
        }

        foreach ((string name, ToolAccess value) in (ReadOnlySpan<(string, ToolAccess)>)
            [("UntrustedEgress", UntrustedEgress), ("PrivateDataEgress", PrivateDataEgress), ("TaintedPrivateDataEgress", TaintedPrivateDataEgress)])
        {
            if (!Enum.IsDefined(value))
            {
                errors.Add($"{prefix}{name} has an unknown value '{value}'.");
            }
        }

        foreach ((string name, GuardrailAction value) in (ReadOnlySpan<(string, GuardrailAction)>)
            [("SecretInArguments", SecretInArguments), ("PiiInArguments", PiiInArguments)])
        {
            if (!Enum.IsDefined(value) || value == GuardrailAction.Redact)
            {
                errors.Add($"{prefix}{name} must be Allow, Flag, RequireApproval or Block, not '{value}'.");
            }
        }
    }

    private ToolPolicyOptions AddPermission(string pattern, ToolAccess permission)
    {
        _permissions.Add((new ToolGlob(pattern), permission));
        return this;
    }
}
