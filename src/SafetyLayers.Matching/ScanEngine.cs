namespace SafetyLayers.Matching;

/// <summary>Specifies the automaton that a <see cref="PatternSet"/> runs.</summary>
public enum ScanEngine
{
    /// <summary>
    /// A deterministic automaton over character equivalence classes: one table lookup per character.
    /// Chosen unless its table would be too large.
    /// </summary>
    Dfa,

    /// <summary>
    /// A compact automaton with failure links: dense transitions for the start state, sparse ones elsewhere.
    /// Chosen for very large pattern sets, where a full table would not fit in cache.
    /// </summary>
    Nfa,
}
