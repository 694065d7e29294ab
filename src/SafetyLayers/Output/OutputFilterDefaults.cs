namespace SafetyLayers;

/// <summary>The defaults of <see cref="OutputFilterOptions"/>.</summary>
internal static class OutputFilterDefaults
{
    public const string RefusalMessage = "[The rest of this response was withheld by a content filter.]";
    public const string Placeholder = "[REDACTED:{0}]";
}
