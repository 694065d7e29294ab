using SafetyLayers.Scanning;

namespace SafetyLayers;

/// <summary>Represents a versioned, named set of rules that share a normalization, such as the built-in PII or prompt-injection pack.</summary>
/// <remarks>
/// Packs are written in the JSON format described in <c>docs/policies.md</c> (schema version 1) and loaded with
/// <see cref="LoadFile(string)"/> or <see cref="Load(Stream, string)"/>; the built-in packs are in <see cref="RulePacks"/>.
/// Loading checks every field and runs every test vector of every rule, and fails with a <see cref="RulePackException"/>
/// that names the file, the rule and the field. Instances are immutable and thread-safe.
/// </remarks>
public sealed class RulePack
{
    /// <summary>The schema version this library reads and writes.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Initializes a new instance of the <see cref="RulePack"/> class.</summary>
    /// <param name="id">The pack id, the middle part of its rule ids (<c>PII</c> in <c>SL-PII-0001</c>).</param>
    /// <param name="name">A human-readable name.</param>
    /// <param name="version">The pack version, such as <c>1.0.0</c>.</param>
    /// <param name="normalization">The normalization its rules match on.</param>
    /// <param name="rules">The rules.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A text is empty, or two rules share an id.</exception>
    public RulePack(string id, string name, string version, TextNormalization normalization, IEnumerable<ScanRule> rules)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        ArgumentNullException.ThrowIfNull(rules);
        Id = id;
        Name = name;
        Version = version;
        Normalization = normalization;
        Rules = [.. rules];
        string? duplicate = Rules.GroupBy(r => r.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null)
        {
            throw new ArgumentException($"The rule id {duplicate} occurs more than once.", nameof(rules));
        }
    }

    /// <summary>Gets the pack id.</summary>
    public string Id { get; }

    /// <summary>Gets the human-readable name.</summary>
    public string Name { get; }

    /// <summary>Gets the pack version.</summary>
    public string Version { get; }

    /// <summary>Gets or initializes a description of what the pack covers.</summary>
    /// <value>The default is an empty string.</value>
    public string Description { get; init; } = string.Empty;

    /// <summary>Gets the normalization the rules of this pack match on.</summary>
    public TextNormalization Normalization { get; }

    /// <summary>Gets the rules.</summary>
    public IReadOnlyList<ScanRule> Rules { get; }

    /// <summary>Loads a pack from a JSON file and checks its test vectors.</summary>
    /// <param name="path">The path of the file.</param>
    /// <returns>The pack.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="RulePackException">The pack is invalid; the message names the file, the rule and the field.</exception>
    public static RulePack LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using FileStream stream = File.OpenRead(path);
        return Load(stream, path);
    }

    /// <summary>Loads a pack from a stream of UTF-8 JSON and checks its test vectors.</summary>
    /// <param name="utf8Json">The stream; it is read to the end and not closed.</param>
    /// <param name="sourceName">The name that error messages give the pack, usually its file name.</param>
    /// <returns>The pack.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="RulePackException">The pack is invalid; the message names the source, the rule and the field.</exception>
    public static RulePack Load(Stream utf8Json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        ArgumentNullException.ThrowIfNull(sourceName);
        RulePack pack = RulePackReader.Read(utf8Json, sourceName);
        RulePackReader.CheckTestVectors(pack, sourceName);
        return pack;
    }
}
