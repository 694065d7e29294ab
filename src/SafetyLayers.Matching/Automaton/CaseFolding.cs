namespace SafetyLayers.Matching.Automaton;

/// <summary>The code units that <see cref="char.ToUpperInvariant(char)"/> changes, computed once per process.</summary>
internal static class CaseFolding
{
    private static readonly Lazy<(char Char, char Upper)[]> LazyPairs = new(ComputePairs);
    private static readonly Lazy<Dictionary<char, List<char>>> LazyLowerOf = new(ComputeLowerOf);

    /// <summary>Gets every code unit whose invariant upper case differs from it, with that upper case.</summary>
    public static (char Char, char Upper)[] Pairs => LazyPairs.Value;

    /// <summary>Gets, for each upper-case character, the other code units that fold to it.</summary>
    public static Dictionary<char, List<char>> LowerOf => LazyLowerOf.Value;

    private static (char, char)[] ComputePairs()
    {
        var pairs = new List<(char, char)>();
        for (int c = 0; c <= char.MaxValue; c++)
        {
            char upper = char.ToUpperInvariant((char)c);
            if (upper != c)
            {
                pairs.Add(((char)c, upper));
            }
        }

        return [.. pairs];
    }

    private static Dictionary<char, List<char>> ComputeLowerOf()
    {
        var lowerOf = new Dictionary<char, List<char>>();
        foreach ((char c, char upper) in Pairs)
        {
            if (!lowerOf.TryGetValue(upper, out List<char>? list))
            {
                lowerOf[upper] = list = [];
            }

            list.Add(c);
        }

        return lowerOf;
    }
}
