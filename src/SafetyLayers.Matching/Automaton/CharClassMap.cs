namespace SafetyLayers.Matching.Automaton;

/// <summary>
/// Maps every UTF-16 code unit to an equivalence class: one class per distinct (case-folded) pattern character,
/// and class 0 for every character that appears in no pattern.
/// </summary>
/// <remarks>
/// Case-insensitive matching is done here, once, at build time: a text character and its case variants map to the same
/// class, so the scan loop never folds case. The map covers all 65,536 code units, which is also what makes surrogate halves
/// (and chunks split between them) ordinary characters for the automaton.
/// </remarks>
internal sealed class CharClassMap
{
    private CharClassMap(ushort[] map, int classCount, char[] classRepresentatives)
    {
        Map = map;
        ClassCount = classCount;
        ClassRepresentatives = classRepresentatives;
    }

    /// <summary>Gets the class of every code unit.</summary>
    public ushort[] Map { get; }

    /// <summary>Gets the number of classes, class 0 included.</summary>
    public int ClassCount { get; }

    /// <summary>Gets the folded character each class stands for (index 0 is unused).</summary>
    public char[] ClassRepresentatives { get; }

    /// <summary>Folds a character the way the map does.</summary>
    public static char Fold(char c, bool ignoreCase) => ignoreCase ? char.ToUpperInvariant(c) : c;

    /// <summary>Builds the map for the given patterns.</summary>
    public static CharClassMap Build(IReadOnlyList<string> patterns, bool ignoreCase)
    {
        var ids = new ushort[65536];
        var representatives = new List<char> { '\0' };
        foreach (string pattern in patterns)
        {
            foreach (char raw in pattern)
            {
                char c = Fold(raw, ignoreCase);
                if (ids[c] == 0)
                {
                    if (representatives.Count > ushort.MaxValue)
                    {
                        throw new ArgumentException("The patterns use more distinct characters than the matcher supports.");
                    }

                    ids[c] = (ushort)representatives.Count;
                    representatives.Add(c);
                }
            }
        }

        if (ignoreCase)
        {
            // Every code unit takes the class of its folded form; ids[] is indexed by folded characters only, so only the
            // code units that fold to another character need a second look.
            var map = (ushort[])ids.Clone();
            foreach ((char c, char upper) in CaseFolding.Pairs)
            {
                map[c] = ids[upper];
            }

            return new CharClassMap(map, representatives.Count, [.. representatives]);
        }

        return new CharClassMap(ids, representatives.Count, [.. representatives]);
    }

    /// <summary>Returns every code unit whose class is the class of <paramref name="folded"/>: the character and its case variants.</summary>
    public IEnumerable<char> Variants(char folded)
    {
        ushort cls = Map[folded];
        if (cls == 0)
        {
            return [];
        }

        var variants = new List<char>();
        if (Map[folded] == cls)
        {
            variants.Add(folded);
        }

        if (CaseFolding.LowerOf.TryGetValue(ClassRepresentatives[cls], out List<char>? others))
        {
            variants.AddRange(others.Where(c => c != folded && Map[c] == cls));
        }

        return variants;
    }
}
