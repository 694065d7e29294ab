namespace SafetyLayers.Matching.Automaton;

/// <summary>The finished automaton in its neutral form, from which the <see cref="Dfa"/> or <see cref="Nfa"/> is built.</summary>
/// <remarks>State ids: 0 is the dead state, 1..<see cref="MatchStateCount"/> the match states, then the start state.</remarks>
internal sealed record AutomatonData(
    MatchKind Kind,
    int ClassCount,
    int StateCount,
    int MatchStateCount,
    int StartState,
    int[] Depth,
    int[] Fail,
    int[] BreadthFirstOrder,
    int[] ChildOffsets,
    ushort[] ChildClasses,
    int[] ChildTargets,
    int[] MatchOffsets,
    int[] MatchPatterns,
    int[] PatternLengths)
{
    /// <summary>Finds the trie child of <paramref name="state"/> on <paramref name="cls"/>, or -1.</summary>
    public int Child(int state, int cls)
    {
        int lo = ChildOffsets[state];
        int hi = ChildOffsets[state + 1] - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int c = ChildClasses[mid];
            if (c == cls)
            {
                return ChildTargets[mid];
            }

            if (c < cls)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }

    /// <summary>Gets whether a match state can never be extended (leftmost kinds): its match is decided when it is reached.</summary>
    public bool IsLeaf(int state) => ChildOffsets[state] == ChildOffsets[state + 1] && Fail[state] == TrieBuilder.DeadId;
}
