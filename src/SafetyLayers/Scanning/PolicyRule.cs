namespace SafetyLayers.Scanning;

/// <summary>A rule as a policy holds it: with the normalization of the pack it came from.</summary>
internal sealed record PolicyRule(ScanRule Rule, TextNormalization Normalization);
