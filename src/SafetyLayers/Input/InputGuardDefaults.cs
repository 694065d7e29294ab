namespace SafetyLayers;

/// <summary>The defaults of <see cref="InputGuardOptions"/>.</summary>
internal static class InputGuardDefaults
{
    public const string RefusalMessage = "I can't help with that request.";
    public const int VerdictCacheSize = 4096;
    public const int MaxVerdictCacheSize = 1_000_000;
    public static readonly TimeSpan VerdictCacheExpiration = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaxVerdictCacheExpiration = TimeSpan.FromDays(7);
}
