namespace SafetyLayers;

/// <summary>Provides the default policies, compiled once per process and shared.</summary>
/// <remarks>
/// <para>
/// <see cref="DefaultInput"/>: prompt injection and jailbreak, and evasion, with the packs' actions (Block for attacks);
/// secrets in user text are redacted. PII in user input is not acted on: users share their own e-mail address with an
/// assistant on purpose.
/// </para>
/// <para>
/// <see cref="DefaultOutput"/>: PII and secrets, redacted, and nothing else. Its rules match only precise formats confirmed by
/// validators, so ordinary text passes byte for byte.
/// </para>
/// </remarks>
public static class ScanPolicies
{
    private static readonly Lazy<ScanPolicy> s_defaultInput = new(() => ConfigureDefaultInput(new ScanPolicyBuilder()).Build());
    private static readonly Lazy<ScanPolicy> s_defaultOutput = new(() => ConfigureDefaultOutput(new ScanPolicyBuilder()).Build());
    private static readonly Lazy<ScanPolicy> s_defaultCombined = new(() => ConfigureDefaultOutput(ConfigureDefaultInput(new ScanPolicyBuilder())).Build());

    /// <summary>Gets the default policy for what users send: injection, jailbreak and evasion block; secrets are redacted.</summary>
    public static ScanPolicy DefaultInput => s_defaultInput.Value;

    /// <summary>Gets the default policy for what the model returns: PII and secrets are redacted; nothing else is touched.</summary>
    public static ScanPolicy DefaultOutput => s_defaultOutput.Value;

    /// <summary>Gets the rules of <see cref="DefaultInput"/> and <see cref="DefaultOutput"/> in one policy, as <c>safetylayers scan</c> and <c>eval</c> use them.</summary>
    public static ScanPolicy DefaultCombined => s_defaultCombined.Value;

    /// <summary>Adds the packs of <see cref="DefaultInput"/> to <paramref name="builder"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The same <paramref name="builder"/>, so calls can be chained.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static ScanPolicyBuilder ConfigureDefaultInput(ScanPolicyBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddPack(RulePacks.PromptInjection).AddPack(RulePacks.Evasion).AddPack(RulePacks.Secrets, GuardrailAction.Redact);
    }

    /// <summary>Adds the packs of <see cref="DefaultOutput"/> to <paramref name="builder"/>.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The same <paramref name="builder"/>, so calls can be chained.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static ScanPolicyBuilder ConfigureDefaultOutput(ScanPolicyBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddPack(RulePacks.Pii, GuardrailAction.Redact).AddPack(RulePacks.Secrets, GuardrailAction.Redact);
    }
}
