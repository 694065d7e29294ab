namespace SafetyLayers.Matching.Automaton;

/// <summary>One step of an automaton, implemented by structs so that the scan loops are specialised per engine.</summary>
internal interface IAutomaton
{
    /// <summary>Returns the state after reading <paramref name="c"/> in <paramref name="state"/>.</summary>
    int Next(int state, char c);

    /// <summary>Returns the number of a state: its index in the depth table and, for a special (dead, match or start) state, in the match tables.</summary>
    int Ordinal(int state);

    /// <summary>
    /// Reads <paramref name="text"/> from <paramref name="position"/> until a state at or below <paramref name="maxSpecial"/>
    /// is reached or the text ends.
    /// </summary>
    /// <returns>The state reached; <paramref name="position"/> is just past the character that led to it, or at the end.</returns>
    /// <remarks>
    /// The hot loop of every scan. It is a method of its own so that the JIT keeps the loop's handful of values in registers
    /// instead of sharing them with the rest of the scan.
    /// </remarks>
    int Walk(ReadOnlySpan<char> text, ref int position, int state, int maxSpecial);
}
