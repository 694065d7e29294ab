namespace SafetyLayers;

/// <summary>Represents the options for an <see cref="InputGuardChatClient"/>.</summary>
/// <remarks>
/// Options are mutable while a pipeline is configured. The client compiles them when it is created (and again when options
/// bound through <c>AddGuardrails</c> reload), so later edits to this instance do not affect a running client.
/// </remarks>
public sealed class InputGuardOptions
{
    /// <summary>Gets or sets a value indicating whether the input guard checks requests.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether a block throws <see cref="GuardrailViolationException"/> instead of returning a refusal.</summary>
    /// <value>The default value is <see langword="false"/>: the caller gets a refusal response whose finish reason is <see cref="Microsoft.Extensions.AI.ChatFinishReason.ContentFilter"/>.</value>
    public bool ThrowOnBlock { get; set; }

    /// <summary>Gets or sets the text of the refusal returned when a request is blocked.</summary>
    /// <value>The default is <c>I can't help with that request.</c></value>
    public string RefusalMessage { get; set; } = InputGuardDefaults.RefusalMessage;

    /// <summary>Gets or sets a value indicating whether the guard only records verdicts and never blocks or changes a request.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool MonitorOnly { get; set; }

    /// <summary>Gets or sets a value indicating whether a request passes unchecked when the guard itself fails.</summary>
    /// <value>The default value is <see langword="false"/>: a failing guard blocks the request (fail closed) and records the error.</value>
    public bool FailOpen { get; set; }

    /// <summary>Gets or sets a value indicating whether assistant messages without an author name (the model's own earlier replies) are checked.</summary>
    /// <value>
    /// The default value is <see langword="false"/>: those replies already passed the output filter. Assistant messages that carry an
    /// <see cref="Microsoft.Extensions.AI.ChatMessage.AuthorName"/> come from other agents and are always checked, as are user and tool messages.
    /// </value>
    public bool ScanAssistantMessages { get; set; }

    /// <summary>Gets or sets a value indicating whether system messages are checked.</summary>
    /// <value>The default value is <see langword="false"/>: system messages are written by the application.</value>
    public bool ScanSystemMessages { get; set; }

    /// <summary>Gets or sets how many verdicts of earlier message texts are kept, so a long conversation is not rescanned every turn.</summary>
    /// <value>The default is 4096 entries; 0 turns the cache off. The most recently used entries are kept.</value>
    public int VerdictCacheSize { get; set; } = InputGuardDefaults.VerdictCacheSize;

    /// <summary>Gets or sets how long a cached verdict stays valid after it was computed.</summary>
    /// <value>The default is one hour.</value>
    public TimeSpan VerdictCacheExpiration { get; set; } = InputGuardDefaults.VerdictCacheExpiration;

    /// <summary>Gets or sets the most tokens the messages of one request may hold in total; 0 for no limit.</summary>
    /// <value>
    /// The default is 0. A larger request is blocked (rule <c>SL-TOKEN-0001</c>, category <c>token_limit</c>) before the model sees it:
    /// a guard against prompt stuffing, context overflow and runaway cost. Every message counts, whatever its role; counts of earlier
    /// turns are remembered, so a long conversation is not re-tokenized every turn.
    /// </value>
    public int MaxTokens { get; set; }

    /// <summary>Gets or sets the tokenizer <see cref="MaxTokens"/> counts with.</summary>
    /// <value>The default is <see cref="TokenEncoding.O200kBase"/>.</value>
    public TokenEncoding TokenEncoding { get; set; }

    /// <summary>Gets or sets a callback that receives every verdict of the guard, including monitor-only ones.</summary>
    /// <value>The default is <see langword="null"/>. The callback must be thread-safe and must not throw.</value>
    public Action<GuardrailVerdict>? OnVerdict { get; set; }

    /// <summary>Gets or sets the policy that scans the messages of each request.</summary>
    /// <value>The default is <see langword="null"/>: <see cref="ScanPolicies.DefaultInput"/> (injection, jailbreak and evasion block; secrets are redacted).</value>
    /// <remarks>Policies are immutable and thread-safe; build one once with <see cref="ScanPolicyBuilder"/> and share it.</remarks>
    public ScanPolicy? Policy { get; set; }

    /// <summary>Gets or sets the rule packs the layer's policy is built from when <see cref="Policy"/> is not set; <see langword="null"/> or empty for the default policy.</summary>
    /// <value>
    /// Each entry is a built-in pack id (<c>PI</c>, <c>EV</c>, <c>PII</c>, <c>SEC</c>, <c>HARM</c>, <c>REF</c>) or the path of a pack file
    /// (<c>.json</c>), optionally followed by <c>=Action</c> to override its rules' actions, for example <c>SEC=Redact</c>. This is how
    /// configuration chooses packs (<c>SafetyLayers:Input:Packs</c>); a reload rebuilds the policy without rebuilding the client.
    /// </value>
    public IList<string>? Packs { get; set; }

    /// <summary>Gets or sets the scanner used in place of the default input policy (tests and policy plug-in).</summary>
    internal TextScanner? Scanner { get; set; }

    internal InputGuardOptions Clone()
    {
        var clone = (InputGuardOptions)MemberwiseClone();
        clone.Packs = Packs is null ? null : [.. Packs];
        return clone;
    }

    /// <summary>Gets the scanner this layer uses: the explicit scanner or policy, else the configured packs, else the default policy.</summary>
    internal TextScanner ResolveScanner(string prefix) =>
        ConfiguredPacks.ResolveScanner(Scanner, Policy, Packs, GuardrailsDefaults.InputScanner, prefix + "Packs");

    internal void AddErrors(List<string> errors, string prefix)
    {
        ConfiguredPacks.AddErrors(Policy, Packs, prefix + "Packs", errors);

        if (string.IsNullOrWhiteSpace(RefusalMessage))
        {
            errors.Add($"{prefix}RefusalMessage must not be empty.");
        }

        if (VerdictCacheSize is < 0 or > InputGuardDefaults.MaxVerdictCacheSize)
        {
            errors.Add($"{prefix}VerdictCacheSize must be between 0 and {InputGuardDefaults.MaxVerdictCacheSize} (was {VerdictCacheSize}).");
        }

        if (MaxTokens < 0)
        {
            errors.Add($"{prefix}MaxTokens must be 0 (no limit) or positive (was {MaxTokens}).");
        }

        if (!Enum.IsDefined(TokenEncoding))
        {
            errors.Add($"{prefix}TokenEncoding has an unknown value '{TokenEncoding}'.");
        }

        if (VerdictCacheExpiration <= TimeSpan.Zero || VerdictCacheExpiration > InputGuardDefaults.MaxVerdictCacheExpiration)
        {
            errors.Add($"{prefix}VerdictCacheExpiration must be positive and at most {InputGuardDefaults.MaxVerdictCacheExpiration} (was {VerdictCacheExpiration}).");
        }
    }
}
