namespace SafetyLayers.Matching;

/// <summary>Represents one occurrence of a pattern in a text.</summary>
/// <param name="PatternId">The id of the pattern: its position in the order of <c>PatternSetBuilder.Add</c> calls.</param>
/// <param name="Index">
/// The index of the first character of the occurrence. In a streaming scan it is relative to the start of the current chunk,
/// and negative when the occurrence began in an earlier chunk.
/// </param>
/// <param name="Length">The number of UTF-16 code units of the occurrence.</param>
public readonly record struct PatternMatch(int PatternId, int Index, int Length)
{
    /// <summary>Gets the index just past the last character of the occurrence.</summary>
    public int End => Index + Length;
}
