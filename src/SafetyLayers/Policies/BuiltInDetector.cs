using SafetyLayers.Scanning;

namespace SafetyLayers;

/// <summary>A detector implemented in code: invisible characters, TAG-character smuggling, mixed-script words, encoded payloads.</summary>
/// <remarks>
/// Known names: <c>invisible-characters</c> (zero-width characters inside words, bidirectional overrides and isolates),
/// <c>tag-characters</c> (Unicode TAG characters outside emoji flag sequences), <c>mixed-script</c> (a word that mixes Latin
/// with Cyrillic, Greek, Armenian, Cherokee or Coptic look-alikes), and <c>encoded-payload</c> (base64, hex or URL-encoded
/// runs that decode to text on which another normalized rule of the policy fires), <c>letter-spacing</c> (16 or more letters
/// written one by one, "i g n o r e  a l l") and <c>leetspeak</c> (many words with digits for letters, "1gn0r3 4ll").
/// </remarks>
public sealed class BuiltInDetector : RuleDetector
{
    /// <summary>Initializes a new instance of the <see cref="BuiltInDetector"/> class.</summary>
    /// <param name="name">The name of the built-in detector.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a known built-in detector.</exception>
    public BuiltInDetector(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Kind = BuiltInDetectors.Parse(name);
        Name = name;
    }

    /// <summary>Gets the name of the built-in detector.</summary>
    public string Name { get; }

    /// <inheritdoc/>
    /// <remarks>Encoded payloads and TAG runs are reported up to 4,096 characters; these detectors are meant for input, not for streamed output.</remarks>
    public override int MaxMatchLength => Kind is BuiltInDetectorKind.InvisibleCharacters or BuiltInDetectorKind.MixedScript ? 64 : 4096;

    internal BuiltInDetectorKind Kind { get; }
}
