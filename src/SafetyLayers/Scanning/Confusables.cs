using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;

namespace SafetyLayers.Scanning;

/// <summary>The look-alike table behind <see cref="TextNormalization.Confusables"/>, read once from an embedded resource.</summary>
/// <remarks>
/// The resource <c>Data/confusables-subset.txt</c> uses the line format of UTS #39 <c>confusables.txt</c>
/// (<c>source ; target ; MA # comment</c>), restricted to single-character mappings of lower-case look-alikes.
/// </remarks>
internal static class Confusables
{
    private static readonly FrozenDictionary<char, char> s_map = Load();

    /// <summary>Gets the number of mapped characters.</summary>
    public static int Count => s_map.Count;

    /// <summary>Returns the Latin letter that <paramref name="c"/> imitates, or <paramref name="c"/> itself.</summary>
    public static char Map(char c) => c < 0x80 || !s_map.TryGetValue(c, out char mapped) ? c : mapped;

    /// <summary>Returns whether <paramref name="c"/> is a known look-alike of a Latin letter.</summary>
    public static bool IsLookAlike(char c) => c >= 0x80 && s_map.ContainsKey(char.ToLowerInvariant(c));

    private static FrozenDictionary<char, char> Load()
    {
        var map = new Dictionary<char, char>();
        using Stream stream = typeof(Confusables).Assembly.GetManifestResourceStream("SafetyLayers.Scanning.Data.confusables-subset.txt")
            ?? throw new InvalidOperationException("The confusables resource is missing from the assembly.");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            string[] fields = line.Split(';');
            char source = (char)int.Parse(fields[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            char target = (char)int.Parse(fields[1].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            map[source] = target;
        }

        return map.ToFrozenDictionary();
    }
}
