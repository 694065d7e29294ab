namespace SafetyLayers.Matching.Automaton;

/// <summary>An automaton with a transition table (<see cref="Dfa"/>, <see cref="NarrowDfa"/>): it can also walk four parts of a text at once.</summary>
internal interface IDenseAutomaton : IAutomaton
{
    /// <summary>Runs <see cref="AutomatonWalks.SkipWithoutMatch"/> with this automaton's step.</summary>
    /// <returns>Where a one-stream scan must begin, or the text's length when nothing matches in it.</returns>
    int SkipWithoutMatch(ReadOnlySpan<char> text, ref int state, int start, int maxSpecial, int overlap, ReadOnlySpan<int> depth);
}
