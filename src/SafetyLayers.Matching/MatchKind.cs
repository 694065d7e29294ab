namespace SafetyLayers.Matching;

/// <summary>Specifies which matches a <c>PatternSet</c> reports.</summary>
/// <remarks>The semantics are those of the Rust <c>aho-corasick</c> crate.</remarks>
public enum MatchKind
{
    /// <summary>Every occurrence of every pattern, overlapping ones included, in order of end position.</summary>
    Overlapping,

    /// <summary>
    /// Non-overlapping matches, scanning left to right; at the leftmost start the pattern added first wins
    /// (the semantics of a backtracking regex alternation of the escaped patterns).
    /// </summary>
    LeftmostFirst,

    /// <summary>
    /// Non-overlapping matches, scanning left to right; at the leftmost start the longest pattern wins,
    /// and among equally long ones the pattern added first.
    /// </summary>
    LeftmostLongest,
}
