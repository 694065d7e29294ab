namespace SafetyLayers.Matching.Automaton;

/// <summary>
/// One transition of a dense automaton through references to its tables, taken once per walk, so the walk's loop does not
/// check the tables' arrays for null at every step as a step through the arrays does.
/// </summary>
internal interface ITableStep
{
    /// <summary>Returns the state after reading <paramref name="c"/> in <paramref name="state"/>.</summary>
    int Next(int state, char c);

    /// <summary>Returns the number of a state: its index in the depth table (<see cref="IAutomaton.Ordinal"/>).</summary>
    int Ordinal(int state);
}
