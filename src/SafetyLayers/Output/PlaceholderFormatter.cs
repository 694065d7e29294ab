using System.Collections.Concurrent;
using System.Globalization;

namespace SafetyLayers;

/// <summary>Turns a rule label into the text that replaces a redacted span, computing each placeholder once.</summary>
internal sealed class PlaceholderFormatter(string format)
{
    private readonly ConcurrentDictionary<string, string> _cache = new(StringComparer.Ordinal);

    public static PlaceholderFormatter Default { get; } = new(OutputFilterDefaults.Placeholder);

    public string Format(string label) =>
        _cache.TryGetValue(label, out string? text) ? text : _cache.GetOrAdd(label, string.Format(CultureInfo.InvariantCulture, format, label));
}
