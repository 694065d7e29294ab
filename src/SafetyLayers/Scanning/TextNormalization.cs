namespace SafetyLayers;

/// <summary>Specifies the normalization steps applied to a text before the rules of a pack match it.</summary>
/// <remarks>
/// Every step keeps an offset map from the normalized text back to the original, so a finding always names the
/// original characters (see <see cref="ScanFinding"/>). Rules that validate digits, checksums or keys (PII, secrets)
/// use <see cref="None"/>: folding case or mapping leetspeak would corrupt what they check. Phrases of a pack are
/// normalized with the same steps when the policy is built, so a phrase always matches its own normalized form.
/// </remarks>
[Flags]
public enum TextNormalization
{
    /// <summary>The rules see the original text.</summary>
    None = 0,

    /// <summary>Unicode compatibility composition (NFKC), applied per code point: full-width and mathematical letters, ligatures and circled digits become their plain forms.</summary>
    Nfkc = 1,

    /// <summary>Simple case folding (invariant lower case).</summary>
    CaseFold = 2,

    /// <summary>Removes zero-width, bidirectional and other format characters, and turns Unicode TAG characters (U+E0020–U+E007E) into the ASCII they smuggle.</summary>
    RemoveFormatCharacters = 4,

    /// <summary>Maps Cyrillic, Greek, Armenian, Cherokee and other look-alike letters to the Latin letter they imitate (a subset of the UTS #39 confusables skeleton).</summary>
    Confusables = 8,

    /// <summary>Turns every run of white space into one space.</summary>
    CollapseWhitespace = 16,

    /// <summary>Removes the separators of letter-spaced text ("i g n o r e", "i.g.n.o.r.e") when at least four single letters follow each other.</summary>
    CollapseLetterSpacing = 32,

    /// <summary>Maps common leetspeak digits and symbols (0 1 3 4 5 7 8 9 $) to letters inside words that also contain letters.</summary>
    Leetspeak = 64,

    /// <summary>Every step: what prompt-injection, jailbreak, harmful-topic and refusal rules use.</summary>
    All = Nfkc | CaseFold | RemoveFormatCharacters | Confusables | CollapseWhitespace | CollapseLetterSpacing | Leetspeak,
}
