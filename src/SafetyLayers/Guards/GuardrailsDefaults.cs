namespace SafetyLayers;

/// <summary>The default scanners of the layers: the built-in policies, compiled once per process and shared.</summary>
internal static class GuardrailsDefaults
{
    private static readonly Lazy<TextScanner> s_input = new(() => new PolicyTextScanner(ScanPolicies.DefaultInput));
    private static readonly Lazy<TextScanner> s_output = new(() => new PolicyTextScanner(ScanPolicies.DefaultOutput));

    /// <summary>Gets the scanner of <see cref="ScanPolicies.DefaultInput"/>.</summary>
    public static TextScanner InputScanner => s_input.Value;

    /// <summary>Gets the scanner of <see cref="ScanPolicies.DefaultOutput"/>.</summary>
    public static TextScanner OutputScanner => s_output.Value;

    /// <summary>The scanner a layer uses: a test scanner, else the configured policy, else the default.</summary>
    public static TextScanner Resolve(TextScanner? scanner, ScanPolicy? policy, TextScanner fallback) =>
        scanner ?? (policy is null ? fallback : new PolicyTextScanner(policy));
}
