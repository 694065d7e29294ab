namespace SafetyLayers.Matching;

/// <summary>Specifies the search that a <see cref="PatternSet"/> uses to skip text while no match is in progress.</summary>
/// <remarks>
/// A prefilter may report positions where no match starts (false positives) but never skips a position where one does:
/// the automaton verifies every candidate.
/// </remarks>
public enum PrefilterKind
{
    /// <summary>No prefilter: the automaton reads every character.</summary>
    None,

    /// <summary>A vectorized search (the BCL's <c>SearchValues</c>) for the characters that can begin a match.</summary>
    StartCharacters,

    /// <summary>The Teddy fingerprint search on the first characters of the patterns, computed one position at a time (the reference).</summary>
    TeddyScalar,

    /// <summary>The Teddy fingerprint search, 16 positions at a time.</summary>
    TeddyVector128,

    /// <summary>The Teddy fingerprint search, 32 positions at a time.</summary>
    TeddyVector256,

    /// <summary>The Teddy fingerprint search, 64 positions at a time.</summary>
    TeddyVector512,

    /// <summary>A shift-or search over hashed character pairs of the first (up to eight) characters of the patterns, for larger sets.</summary>
    ShiftOr,
}
