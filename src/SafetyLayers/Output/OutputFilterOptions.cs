namespace SafetyLayers;

/// <summary>Represents the options for an <see cref="OutputFilterChatClient"/>.</summary>
/// <remarks>
/// Options are mutable while a pipeline is configured. The client compiles them when it is created (and again when options
/// bound through <c>AddGuardrails</c> reload), so later edits to this instance do not affect a running client.
/// </remarks>
public sealed class OutputFilterOptions
{
    /// <summary>Gets or sets a value indicating whether the output filter checks responses.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the notice that ends a response the filter stopped.</summary>
    /// <value>The default is <c>[The rest of this response was withheld by a content filter.]</c></value>
    /// <remarks>
    /// A stopped response keeps the (redacted) text before the blocked content, which a streaming caller has already seen, and ends
    /// with this notice; its finish reason is <see cref="Microsoft.Extensions.AI.ChatFinishReason.ContentFilter"/>. Streamed or not,
    /// the caller gets the same text.
    /// </remarks>
    public string RefusalMessage { get; set; } = OutputFilterDefaults.RefusalMessage;

    /// <summary>Gets or sets the composite format of the text that replaces a redacted span; <c>{0}</c> is the rule's label, such as <c>EMAIL</c>.</summary>
    /// <value>The default is <c>[REDACTED:{0}]</c>.</value>
    public string Placeholder { get; set; } = OutputFilterDefaults.Placeholder;

    /// <summary>Gets or sets a value indicating whether a block throws <see cref="GuardrailViolationException"/> instead of ending the response with the notice.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool ThrowOnBlock { get; set; }

    /// <summary>Gets or sets a value indicating whether reasoning content (<see cref="Microsoft.Extensions.AI.TextReasoningContent"/>) is filtered like text.</summary>
    /// <value>The default value is <see langword="true"/>. When <see langword="false"/>, reasoning passes unchanged.</value>
    public bool FilterReasoning { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether the filter only records verdicts and never changes a response.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool MonitorOnly { get; set; }

    /// <summary>Gets or sets a value indicating whether a response passes unfiltered when the filter itself fails.</summary>
    /// <value>The default value is <see langword="false"/>: a failing filter stops the response (fail closed) and records the error.</value>
    public bool FailOpen { get; set; }

    /// <summary>Gets or sets a callback that receives every verdict of the filter, including monitor-only ones.</summary>
    /// <value>The default is <see langword="null"/>. The callback must be thread-safe and must not throw.</value>
    public Action<GuardrailVerdict>? OnVerdict { get; set; }

    /// <summary>Gets or sets the policy that scans the text of each response.</summary>
    /// <value>The default is <see langword="null"/>: <see cref="ScanPolicies.DefaultOutput"/> (PII and secrets are redacted in place; nothing else is touched).</value>
    /// <remarks>Policies are immutable and thread-safe; build one once with <see cref="ScanPolicyBuilder"/> and share it.</remarks>
    public ScanPolicy? Policy { get; set; }

    /// <summary>Gets or sets the rule packs the layer's policy is built from when <see cref="Policy"/> is not set; <see langword="null"/> or empty for the default policy.</summary>
    /// <value>
    /// Each entry is a built-in pack id (<c>PI</c>, <c>EV</c>, <c>PII</c>, <c>SEC</c>, <c>HARM</c>, <c>REF</c>) or the path of a pack file
    /// (<c>.json</c>), optionally followed by <c>=Action</c> to override its rules' actions, for example <c>SEC=Redact</c>. This is how
    /// configuration chooses packs (<c>SafetyLayers:Output:Packs</c>); a reload rebuilds the policy without rebuilding the client.
    /// </value>
    public IList<string>? Packs { get; set; }

    /// <summary>Gets or sets the scanner used in place of the default output policy (tests and policy plug-in).</summary>
    internal TextScanner? Scanner { get; set; }

    internal OutputFilterOptions Clone()
    {
        var clone = (OutputFilterOptions)MemberwiseClone();
        clone.Packs = Packs is null ? null : [.. Packs];
        return clone;
    }

    /// <summary>Gets the scanner this layer uses: the explicit scanner or policy, else the configured packs, else the default policy.</summary>
    internal TextScanner ResolveScanner(string prefix) =>
        ConfiguredPacks.ResolveScanner(Scanner, Policy, Packs, GuardrailsDefaults.OutputScanner, prefix + "Packs");

    internal void AddErrors(List<string> errors, string prefix)
    {
        ConfiguredPacks.AddErrors(Policy, Packs, prefix + "Packs", errors);

        if (string.IsNullOrWhiteSpace(RefusalMessage))
        {
            errors.Add($"{prefix}RefusalMessage must not be empty.");
        }

        if (string.IsNullOrEmpty(Placeholder))
        {
            errors.Add($"{prefix}Placeholder must not be empty.");
        }
        else
        {
            try
            {
                _ = string.Format(System.Globalization.CultureInfo.InvariantCulture, Placeholder, "LABEL");
            }
            catch (FormatException)
            {
                errors.Add($"{prefix}Placeholder is not a valid composite format; use {{0}} for the label, as in \"{OutputFilterDefaults.Placeholder}\" (was \"{Placeholder}\").");
            }
        }
    }
}
