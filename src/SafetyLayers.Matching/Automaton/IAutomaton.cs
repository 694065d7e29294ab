namespace SafetyLayers.Matching.Automaton;

/// <summary>One step of an automaton, implemented by structs so that the scan loops are specialised per engine.</summary>
internal interface IAutomaton
{
    /// <summary>Returns the state after reading <paramref name="c"/> in <paramref name="state"/>.</summary>
    int Next(int state, char c);

    /// <summary>Returns the index of a special (dead, match or start) state in the match tables.</summary>
    int Ordinal(int state);
}
