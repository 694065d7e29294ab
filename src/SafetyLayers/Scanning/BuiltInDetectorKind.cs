namespace SafetyLayers.Scanning;

/// <summary>The built-in detectors (see <see cref="BuiltInDetector"/>).</summary>
internal enum BuiltInDetectorKind
{
    InvisibleCharacters,
    TagCharacters,
    MixedScript,
    EncodedPayload,
    LetterSpacing,
    Leetspeak,
}
