namespace SafetyLayers;

/// <summary>Specifies extra forms of every phrase of a pack that the policy also matches.</summary>
/// <remarks>The variants are added to the policy's one phrase matcher when it is built, so they cost nothing extra per scan.</remarks>
[Flags]
public enum PhraseVariants
{
    /// <summary>Only the phrases as written (after normalization).</summary>
    None = 0,

    /// <summary>The ROT13 form of each phrase, which catches instructions written in ROT13.</summary>
    Rot13 = 1,

    /// <summary>
    /// Each multi-word phrase without its spaces (at least 10 letters), which catches letter-spaced text
    /// ("i g n o r e  a l l") once <see cref="TextNormalization.CollapseLetterSpacing"/> has joined its letters.
    /// </summary>
    Spaceless = 2,
}
