using SafetyLayers.Scanning;

namespace SafetyLayers;

/// <summary>Provides the built-in rule packs, read once from the assembly's embedded resources.</summary>
/// <remarks>
/// Each pack is parsed on first use and cached for the process. Their test vectors are checked by the library's test suite
/// rather than at run time, so using a pack costs only the parse. See <c>docs/policies.md</c> for what each pack covers.
/// </remarks>
public static class RulePacks
{
    private static readonly Lazy<RulePack> s_promptInjection = new(() => LoadEmbedded("prompt-injection.json"));
    private static readonly Lazy<RulePack> s_evasion = new(() => LoadEmbedded("evasion.json"));
    private static readonly Lazy<RulePack> s_pii = new(() => LoadEmbedded("pii.json"));
    private static readonly Lazy<RulePack> s_secrets = new(() => LoadEmbedded("secrets.json"));
    private static readonly Lazy<RulePack> s_harmfulTopics = new(() => LoadEmbedded("harmful-topics.json"));
    private static readonly Lazy<RulePack> s_refusals = new(() => LoadEmbedded("refusals.json"));

    /// <summary>Gets the prompt-injection and jailbreak pack (<c>SL-PI-*</c>): instruction override, personas, system-prompt extraction, fake system messages, delimiter and tool-call coercion, in ten languages. Matches normalized text.</summary>
    public static RulePack PromptInjection => s_promptInjection.Value;

    /// <summary>Gets the evasion pack (<c>SL-EV-*</c>): invisible and bidirectional characters, TAG-character smuggling, mixed-script look-alikes and encoded payloads.</summary>
    public static RulePack Evasion => s_evasion.Value;

    /// <summary>Gets the PII pack (<c>SL-PII-*</c>): e-mail, phone, payment cards, IBAN, US SSN, UK NINO, IP addresses and dates of birth, each with a validator. Matches the original text.</summary>
    public static RulePack Pii => s_pii.Value;

    /// <summary>Gets the secrets pack (<c>SL-SEC-*</c>): provider key formats, JWTs, private keys, connection strings and high-entropy assignments. Matches the original text.</summary>
    public static RulePack Secrets => s_secrets.Value;

    /// <summary>Gets the opt-in harmful-topics pack (<c>SL-HARM-*</c>): requests for weapons, malware, self-harm and similar help. Not part of any default policy.</summary>
    public static RulePack HarmfulTopics => s_harmfulTopics.Value;

    /// <summary>Gets the model-refusals pack (<c>SL-REF-*</c>): "I can't help with that" in many phrasings, for monitoring refusal drift.</summary>
    public static RulePack Refusals => s_refusals.Value;

    /// <summary>Gets every built-in pack.</summary>
    public static IReadOnlyList<RulePack> All => [PromptInjection, Evasion, Pii, Secrets, HarmfulTopics, Refusals];

    private static RulePack LoadEmbedded(string fileName)
    {
        using Stream stream = typeof(RulePacks).Assembly.GetManifestResourceStream("SafetyLayers.Policies.Packs." + fileName)
            ?? throw new InvalidOperationException($"The built-in rule pack {fileName} is missing from the assembly.");
        return RulePackReader.Read(stream, fileName);
    }
}
