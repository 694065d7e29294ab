using SafetyLayers.Matching;

namespace SafetyLayers.Scanning;

/// <summary>
/// Tells a streaming filter where an unfinished match of a policy could start, so it holds back only that much: a short bound
/// for rules without a distinctive start, and, for longer rules, the earliest occurrence of one of their start anchors that a
/// match could still grow from.
/// </summary>
/// <remarks>
/// <para>
/// Each rule is either <em>short</em> (its full length counts towards <see cref="ShortBound"/>) or <em>anchored</em>: every match
/// begins at most <c>k</c> characters before one of its literals (<see cref="RegexStartAnchors"/> derives them from the regex;
/// a phrase is its own anchor). Rules on the normalized view and built-in detectors are short, at twice their length when the policy
/// normalizes (as <see cref="PolicyTextScanner"/> counts them). An anchored rule no longer than the short bound is short too.
/// </para>
/// <para>
/// For a window of length <c>n</c>, a match of a rule of length <c>L</c> starting at <c>p</c> is settled (it and the character after
/// it are in the window) when <c>p + L &lt; n</c>. So an unfinished match starts at or after <c>n - ShortBound</c>, or at
/// <c>p ≥ n - L</c> within <c>k</c> characters before an anchor occurrence of its rule. The short bound also covers every anchor plus
/// its offset, so an anchor still incomplete at the end of the window never needs to be seen. An anchor the pattern puts after
/// <c>\b</c> is skipped where a letter, digit or underscore precedes it (<c>gh</c> in "though").
/// </para>
/// </remarks>
internal sealed class StreamingHoldback
{
    private const int MaxPhraseAnchor = 16;

    private readonly PatternSet? _anchors;
    private readonly (int Offset, int Length, bool WordStart)[][] _targets;   // per anchor pattern: what each occurrence means
    private readonly int _longest;                            // the longest anchored rule (0: none)

    public StreamingHoldback(IEnumerable<PolicyRule> rules, TextNormalization normalization)
    {
        int factor = normalization == TextNormalization.None ? 1 : 2;
        int shortBound = 0;
        var anchored = new List<(int Length, IReadOnlyList<StartAnchor> Anchors)>();
        foreach (PolicyRule policyRule in rules)
        {
            RuleDetector detector = policyRule.Rule.Detector;
            if (detector is BuiltInDetector || policyRule.Normalization != TextNormalization.None)
            {
                shortBound = Math.Max(shortBound, factor * detector.MaxMatchLength);
                continue;
            }

            IReadOnlyList<StartAnchor>? anchors = detector switch
            {
                RegexDetector regex => RegexStartAnchors.Find(regex.Pattern, regex.IgnoreCase),
                PhraseDetector { Variants: PhraseVariants.None } phrases => PhraseAnchors(phrases),
                _ => null,
            };
            if (anchors is null)
            {
                shortBound = Math.Max(shortBound, detector.MaxMatchLength);
            }
            else
            {
                anchored.Add((detector.MaxMatchLength, anchors));
            }
        }

        // Every anchor with its offset must fit in the short bound; anchored rules that fit in it need no tracking.
        int bound = shortBound;
        foreach ((int length, IReadOnlyList<StartAnchor> anchors) in anchored)
        {
            if (length > shortBound)
            {
                foreach (StartAnchor anchor in anchors)
                {
                    bound = Math.Max(bound, Math.Min(length, anchor.Literal.Length + anchor.Offset));
                }
            }
        }

        ShortBound = bound;
        var patterns = new Dictionary<string, List<(int, int, bool)>>(StringComparer.OrdinalIgnoreCase);
        foreach ((int length, IReadOnlyList<StartAnchor> anchors) in anchored)
        {
            if (length <= bound)
            {
                continue;
            }

            _longest = Math.Max(_longest, length);
            foreach (StartAnchor anchor in anchors)
            {
                if (!patterns.TryGetValue(anchor.Literal, out List<(int, int, bool)>? targets))
                {
                    patterns[anchor.Literal] = targets = [];
                }

                if (!targets.Contains((anchor.Offset, length, anchor.WordStart)))
                {
                    targets.Add((anchor.Offset, length, anchor.WordStart));
                }
            }
        }

        AnchorCount = patterns.Count;
        if (patterns.Count > 0)
        {
            var builder = new PatternSetBuilder { IgnoreCase = true, MatchKind = MatchKind.Overlapping };
            foreach (string literal in patterns.Keys)
            {
                builder.Add(literal);
            }

            _anchors = builder.Build();
        }

        _targets = [.. patterns.Values.Select(t => t.ToArray())];
    }

    /// <summary>Gets how many characters at the end of a window are held when no anchor is live: the longest short rule, or anchor plus offset.</summary>
    public int ShortBound { get; }

    /// <summary>Gets the number of distinct anchor literals tracked (for diagnostics and tests).</summary>
    public int AnchorCount { get; }

    /// <summary>
    /// Returns the earliest index of <paramref name="window"/> at which a match that the window does not settle could start:
    /// <c>window.Length - ShortBound</c>, or earlier when an anchor of a long rule occurs close enough to the end.
    /// </summary>
    /// <param name="window">The text seen so far (context and held text).</param>
    /// <param name="from">The first index not yet emitted; no unfinished match starts before it, so the search starts there.</param>
    /// <param name="stableBelow">Receives the window length below which the result stays the same as text is appended (see <see cref="TextScanner"/>).</param>
    /// <remarks>
    /// Costs one anchor-matcher pass over the held text; allocates nothing. Appending text never moves the result back: a new anchor
    /// lies within the short bound of the end. A result set by an anchor at <c>a</c> (start <c>p = a - k</c>, rule length <c>L</c>)
    /// stays until the window is longer than <c>p + L</c>, which is what <paramref name="stableBelow"/> reports.
    /// </remarks>
    public int EarliestPendingStart(ReadOnlySpan<char> window, int from, out int stableBelow)
    {
        int length = window.Length;
        int pending = length - ShortBound;
        stableBelow = length + 1;
        if (_anchors is null)
        {
            return pending;
        }

        int searchFrom = Math.Max(from, length - _longest);
        if (searchFrom >= pending)
        {
            return pending;
        }

        foreach (PatternMatch match in _anchors.EnumerateMatches(window[searchFrom..]))
        {
            int at = searchFrom + match.Index;
            bool afterWordChar = at > 0 && (char.IsLetterOrDigit(window[at - 1]) || window[at - 1] == '_');
            foreach ((int offset, int ruleLength, bool wordStart) in _targets[match.PatternId])
            {
                if (at + ruleLength < length || (wordStart && afterWordChar))
                {
                    continue;
                }

                int start = Math.Max(at - offset, length - ruleLength);
                int until = start > length - ruleLength && start >= from ? start + ruleLength + 1 : length + 1;
                start = Math.Max(start, from);
                if (start < pending)
                {
                    pending = start;
                    stableBelow = until;
                }
                else if (start == pending)
                {
                    stableBelow = Math.Min(stableBelow, until);
                }
            }
        }

        if (pending == length - ShortBound)
        {
            stableBelow = length + 1;
        }

        return pending;
    }

    private static StartAnchor[] PhraseAnchors(PhraseDetector phrases) =>
        [.. phrases.Phrases.Select(p => p.Trim()).Where(p => p.Length > 0).Select(p => new StartAnchor(p[..Math.Min(p.Length, MaxPhraseAnchor)], 0)).Distinct()];
}
