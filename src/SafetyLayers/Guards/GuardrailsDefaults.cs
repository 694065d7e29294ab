namespace SafetyLayers;

/// <summary>The default scanners of the layers: the built-in policies, compiled once per process and shared.</summary>
internal static class GuardrailsDefaults
{
    /// <summary>Gets the scanner of the default input policy.</summary>
    public static TextScanner InputScanner => TextScanner.Empty;

    /// <summary>Gets the scanner of the default output policy.</summary>
    public static TextScanner OutputScanner => TextScanner.Empty;
}
