namespace SafetyLayers.Scanning;

/// <summary>
/// What the normalizer's first pass over an ASCII text found on the way (<see cref="TextNormalizer"/>), so that the later steps
/// and the detectors that would search the text again for the same characters know where to start, or that they have nothing to do.
/// </summary>
internal struct AsciiTextFacts
{
    /// <summary>The index of the first of two spaces in a row (white space counts as a space), or -1.</summary>
    public int FirstDoubleSpace;

    /// <summary>The index of the first leetspeak character (<c>01345789$</c>), or -1.</summary>
    public int FirstLeet;

    /// <summary>At least the length of any run of 16 characters or more that holds no white space (a run found in parts may count some twice); 0 when there is none.</summary>
    public int LongRunWithoutWhiteSpace;

    /// <summary>Whether the text holds a <c>%</c>.</summary>
    public bool HasPercent;

    /// <summary>Gets the facts of a text whose first pass found nothing: no search is needed.</summary>
    public static AsciiTextFacts Nothing => new() { FirstDoubleSpace = -1, FirstLeet = -1 };

    /// <summary>Gets the facts of a text the first pass could not vouch for (it holds other characters): every search must run from the start.</summary>
    public static AsciiTextFacts Unknown => new() { LongRunWithoutWhiteSpace = int.MaxValue, HasPercent = true };
}
