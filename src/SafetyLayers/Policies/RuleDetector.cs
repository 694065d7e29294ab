namespace SafetyLayers;

/// <summary>Describes how a <see cref="ScanRule"/> finds content: <see cref="PhraseDetector"/>, <see cref="RegexDetector"/> or <see cref="BuiltInDetector"/>.</summary>
/// <remarks>Detectors are immutable descriptions; a <see cref="ScanPolicy"/> compiles them when it is built.</remarks>
public abstract class RuleDetector
{
    private protected RuleDetector()
    {
    }

    /// <summary>Gets the longest text, in characters, that one finding of this detector can cover before normalization widens it.</summary>
    public abstract int MaxMatchLength { get; }
}
