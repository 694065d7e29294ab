using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using SafetyLayers.Matching;
using SafetyLayers.Scanning;

namespace SafetyLayers;

/// <summary>A compiled, immutable set of rules that scans texts into findings and a verdict.</summary>
/// <remarks>
/// <para>
/// Build a policy once with <see cref="ScanPolicyBuilder"/> (or use <see cref="ScanPolicies"/>) and share it: it is
/// thread-safe, and <see cref="Scan(ReadOnlySpan{char})"/> allocates nothing when no rule fires.
/// </para>
/// <para>
/// A policy looks at a text through at most two views. The <em>original</em> view serves packs whose
/// <see cref="RulePack.Normalization"/> is <see cref="TextNormalization.None"/> (PII, secrets), so validators see the real digits
/// and keys. The <em>normalized</em> view serves every other pack with the union of their normalization steps; its offset map
/// turns each match back into the original span. Each view runs ONE <see cref="PatternSet"/> (overlapping matches) holding all phrases of its rules plus the
/// literal prefilters of its regex rules, so the cost of a scan grows with the text, not with the number of phrases. A regex
/// with a prefilter runs only when its prefilter fired, and then only over windows around the hits (see
/// <see cref="RegexDetector"/>); one without runs over the whole text. Built-in detectors look at the original text.
/// </para>
/// </remarks>
public sealed class ScanPolicy
{
    private const int MinEncodedRun = 20;   // at least 16: AsciiTextFacts records runs without white space from 16 on

    /// <summary>The characters above U+007F whose invariant upper or lower case is ASCII (U+0131, U+017F, U+0130, U+212A): a case-insensitive walk may take them for ASCII letters.</summary>
    private static readonly SearchValues<char> s_caseFoldsToAscii = SearchValues.Create(
        [.. Enumerable.Range(0x80, char.MaxValue - 0x7F).Select(c => (char)c).Where(c => char.ToUpperInvariant(c) <= '\u007F' || char.ToLowerInvariant(c) <= '\u007F')]);

    /// <summary>The steps whose letter-spacing pass sees every run the letter-spacing detector reports in ASCII text.</summary>
    private const TextNormalization LetterSpacingSteps = TextNormalization.CollapseWhitespace | TextNormalization.CollapseLetterSpacing;

    private readonly View _original;
    private readonly View? _normalized;
    private readonly (ScanRule Rule, BuiltInDetectorKind Kind)[] _builtIns;
    private readonly IReadOnlyList<PolicyRule> _policyRules;
    private readonly bool _originalPatternsAreAscii;
    private StreamingHoldback? _holdback;

    internal ScanPolicy(IReadOnlyList<PolicyRule> rules, bool prefilters = true, bool compileRegexes = true, bool shareWalk = true)
    {
        _policyRules = rules;
        Rules = rules.Select(r => r.Rule).ToArray();
        TextNormalization steps = TextNormalization.None;
        foreach (PolicyRule rule in rules)
        {
            if (rule.Rule.Detector is not BuiltInDetector)
            {
                steps |= rule.Normalization;
            }
        }

        Normalization = steps;
        _original = new View(TextNormalization.None, rules.Where(r => r.Normalization == TextNormalization.None && r.Rule.Detector is not BuiltInDetector), prefilters, compileRegexes);
        if (steps != TextNormalization.None)
        {
            IReadOnlyList<string>? shared = shareWalk && View.CanShareWalk(_original, steps) ? _original.Patterns : null;
            _originalPatternsAreAscii = _original.Patterns.All(p => System.Text.Ascii.IsValid(p));
            _normalized = new View(steps, rules.Where(r => r.Normalization != TextNormalization.None && r.Rule.Detector is not BuiltInDetector), prefilters, compileRegexes, shared);
        }

        _builtIns = [.. rules.Where(r => r.Rule.Detector is BuiltInDetector).Select(r => (r.Rule, ((BuiltInDetector)r.Rule.Detector).Kind))];
        MaxMatchLength = Math.Max(_original.MaxMatchLength, _normalized?.MaxMatchLength ?? 0);
        foreach ((ScanRule rule, _) in _builtIns)
        {
            MaxMatchLength = Math.Max(MaxMatchLength, rule.Detector.MaxMatchLength);
        }
    }

    /// <summary>Gets the rules of the policy, with the actions the policy applies.</summary>
    public IReadOnlyList<ScanRule> Rules { get; }

    /// <summary>Gets the normalization steps of the normalized view, or <see cref="TextNormalization.None"/> when every rule sees the original text.</summary>
    public TextNormalization Normalization { get; }

    /// <summary>Gets the longest text, in characters of the view it matches, that one finding can cover.</summary>
    /// <remarks>
    /// A streaming filter that holds back <c>MaxMatchLength - 1</c> characters never emits the beginning of a match it cannot yet see.
    /// For rules on the original view (PII and secrets, the default output policy) this bound is exact in original characters. For
    /// normalized rules it counts normalized characters: invisible characters and collapsed white space can make the original span longer.
    /// </remarks>
    public int MaxMatchLength { get; }

    /// <summary>Gets the normalized phrases and prefilter literals of each view, for diagnostics and for streaming filters that run their own matcher.</summary>
    public IReadOnlyList<string> Patterns => [.. _original.Patterns, .. _normalized?.Patterns ?? []];

    /// <summary>Gets whether the normalized view's walk finds the original view's patterns too, in texts that allow it.</summary>
    internal bool SharesWalk => _normalized?.SharesWalk == true;

    /// <summary>Gets where an unfinished match could start in a streamed text (short bound and start anchors); built on first use.</summary>
    internal StreamingHoldback Holdback => _holdback ?? CreateHoldback();

    private StreamingHoldback CreateHoldback()
    {
        Interlocked.CompareExchange(ref _holdback, new StreamingHoldback(_policyRules, Normalization), null);
        return _holdback;
    }

    /// <summary>Scans <paramref name="text"/>.</summary>
    /// <param name="text">The text to scan.</param>
    /// <returns>The findings, with spans in <paramref name="text"/>, and the verdict.</returns>
    /// <remarks>Never throws because of content. Allocates only when a rule fires.</remarks>
    public ScanResult Scan(ReadOnlySpan<char> text)
    {
        var findings = new FindingCollector();
        bool ascii;
        AsciiTextFacts facts = AsciiTextFacts.Unknown;
        bool mayBeLetterSpaced = true;
        bool mayBeLeetspeak = true;
        if (_normalized is null)
        {
            ascii = _builtIns.Length > 0 && System.Text.Ascii.IsValid(text);
            _original.Scan(text, default, ref findings);
        }
        else
        {
            using NormalizedText normalized = TextNormalizer.Normalize(text, _normalized.Steps);
            ascii = normalized.OriginalIsAscii;
            facts = normalized.OriginalFacts;
            if (CanShareWalk(text, ascii, normalized))
            {
                // Every ASCII character of the original is in the normalized text, in lower case or (white space) as a space,
                // and runs of spaces are collapsed: one walk finds the original view's patterns too.
                _normalized.ScanSharingWalk(normalized.Text, normalized.Map, _original, text, verifyEveryHit: !ascii, ref findings);
            }
            else
            {
                _original.Scan(text, default, ref findings);
                _normalized.Scan(normalized.Text, normalized.Map, ref findings);
            }

            // Every run that FindLetterSpacing reports in ASCII text is a run of single letters that the normalizer joins
            // (its separators are among the normalizer's, double spaces are collapsed first, and no step changes a letter
            // or a separator), so a normalization that joined none tells that the detector would find none.
            mayBeLetterSpaced = !ascii || (_normalized.Steps & LetterSpacingSteps) != LetterSpacingSteps || normalized.CollapsedLetterSpacing;

            // Likewise every word FindLeetspeak counts in ASCII text is letters and leetspeak digits with a letter among them,
            // which the leetspeak step maps: a normalization that mapped nothing tells that the detector would find nothing.
            mayBeLeetspeak = !ascii || (_normalized.Steps & TextNormalization.Leetspeak) == 0 || normalized.MappedLeetspeak;
        }

        if (_builtIns.Length > 0)
        {
            foreach ((ScanRule rule, BuiltInDetectorKind kind) in _builtIns)
            {
                switch (kind)
                {
                    case BuiltInDetectorKind.InvisibleCharacters when !ascii:
                        BuiltInDetectors.FindInvisibleCharacters(text, rule, ref findings);
                        break;
                    case BuiltInDetectorKind.TagCharacters when !ascii:
                        BuiltInDetectors.FindTagCharacters(text, rule, ref findings);
                        break;
                    case BuiltInDetectorKind.MixedScript when !ascii:
                        BuiltInDetectors.FindMixedScriptWords(text, rule, ref findings);
                        break;
                    case BuiltInDetectorKind.EncodedPayload when facts.LongRunWithoutWhiteSpace >= MinEncodedRun || facts.HasPercent:
                        FindEncodedPayloads(text, rule, facts, ref findings);
                        break;
                    case BuiltInDetectorKind.LetterSpacing when mayBeLetterSpaced:
                        BuiltInDetectors.FindLetterSpacing(text, rule, ref findings);
                        break;
                    case BuiltInDetectorKind.Leetspeak when facts.FirstLeet >= 0 && mayBeLeetspeak:   // it looks for words with a leetspeak digit
                        BuiltInDetectors.FindLeetspeak(text, rule, ref findings);
                        break;
                }
            }
        }

        return findings.ToResult();
    }

    /// <summary>Returns whether one walk over <paramref name="normalized"/> text can stand for the walks of both views (<see cref="View.ScanSharingWalk"/>).</summary>
    /// <remarks>
    /// Leetspeak and letter spacing change ASCII characters, so a text they changed is walked twice. Otherwise every ASCII
    /// character of the original is in the normalized text as itself in lower case or, white space, as a space, and runs of
    /// spaces are collapsed, which no pattern of the original view can hold. In a text with other characters, the original
    /// view's patterns must be ASCII, so that their occurrences are too, and no character of the text may be one that the
    /// original view's case-insensitive walk takes for an ASCII letter (U+0131 and U+017F are 'I' and 'S' in upper case): then
    /// every occurrence of the original is one in the normalized text, and the hits that do not come from one are told apart
    /// by comparing the original characters with the pattern.
    /// </remarks>
    private bool CanShareWalk(ReadOnlySpan<char> text, bool ascii, NormalizedText normalized) =>
        _normalized is { SharesWalk: true }
        && !normalized.MappedLeetspeak
        && !normalized.CollapsedLetterSpacing
        && (ascii || (_originalPatternsAreAscii && !text.ContainsAny(s_caseFoldsToAscii)));

    /// <summary>Returns whether <paramref name="text"/> is scanned with one walk of the normalized view's matcher (for the tests).</summary>
    internal bool ScansInOneWalk(string text)
    {
        if (_normalized is null)
        {
            return false;
        }

        using NormalizedText normalized = TextNormalizer.Normalize(text, _normalized.Steps);
        return CanShareWalk(text, normalized.OriginalIsAscii, normalized);
    }

    /// <summary>Finds base64, hex and URL-encoded runs whose decoded text makes a normalized rule of this policy fire.</summary>
    /// <remarks>An ASCII text's <paramref name="facts"/> tell whether it has a run long enough (the alphabet holds no white space) or a <c>%</c>.</remarks>
    private void FindEncodedPayloads(ReadOnlySpan<char> text, ScanRule rule, AsciiTextFacts facts, ref FindingCollector findings)
    {
        if (_normalized is null)
        {
            return;
        }

        // A run of at least MinEncodedRun alphabet characters contains one of the probes, which are MinEncodedRun apart,
        // counted from the first such run (prose usually has none: a vectorized search settles it).
        int firstRun = facts.LongRunWithoutWhiteSpace >= MinEncodedRun ? Base64Runs.IndexOfRun(text, MinEncodedRun) : -1;
        int probe = firstRun < 0 ? text.Length : firstRun + MinEncodedRun - 1;
        while (probe < text.Length)
        {
            if (!IsBase64Char(text[probe]))
            {
                probe += MinEncodedRun;
                continue;
            }

            int start = probe;
            while (start > 0 && IsBase64Char(text[start - 1]))
            {
                start--;
            }

            int end = probe + 1;
            while (end < text.Length && IsBase64Char(text[end]))
            {
                end++;
            }

            if (end - start >= MinEncodedRun && DecodedTextFires(text[start..end], EncodedKind.Base64OrHex))
            {
                findings.Add(rule, start, end - start);
            }

            probe = end + MinEncodedRun;
        }

        int percent = facts.HasPercent ? text.IndexOf('%') : -1;
        while (percent >= 0)
        {
            int start = percent;
            while (start > 0 && !char.IsWhiteSpace(text[start - 1]))
            {
                start--;
            }

            int end = percent;
            while (end < text.Length && !char.IsWhiteSpace(text[end]))
            {
                end++;
            }

            ReadOnlySpan<char> token = text[start..end];
            if (token.Count('%') >= 3 && DecodedTextFires(token, EncodedKind.Url))
            {
                findings.Add(rule, start, end - start);
            }

            int next = end < text.Length ? text[end..].IndexOf('%') : -1;
            percent = next < 0 ? -1 : end + next;
        }
    }

    private bool DecodedTextFires(ReadOnlySpan<char> encoded, EncodedKind kind)
    {
        byte[] bytes = ArrayPool<byte>.Shared.Rent(encoded.Length);
        char[]? chars = null;
        try
        {
            int byteCount = kind == EncodedKind.Url ? DecodeUrl(encoded, bytes) : DecodeBase64OrHex(encoded, bytes);
            if (byteCount < 8)
            {
                return false;
            }

            chars = ArrayPool<char>.Shared.Rent(byteCount);
            if (!Encoding.UTF8.TryGetChars(bytes.AsSpan(0, byteCount), chars, out int charCount) || !IsMostlyText(chars.AsSpan(0, charCount)))
            {
                return false;
            }

            var inner = new FindingCollector();
            using NormalizedText normalized = TextNormalizer.Normalize(chars.AsSpan(0, charCount), _normalized!.Steps);
            _normalized.Scan(normalized.Text, normalized.Map, ref inner);
            return inner.Verdict > GuardrailAction.Allow;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            if (chars is not null)
            {
                ArrayPool<char>.Shared.Return(chars);
            }
        }
    }

    private static int DecodeBase64OrHex(ReadOnlySpan<char> run, Span<byte> bytes)
    {
        if (run.Length % 2 == 0 && !run.ContainsAnyExcept(s_hexDigits))
        {
            return Convert.FromHexString(run, bytes, out _, out int written) == OperationStatus.Done ? written : 0;
        }

        ReadOnlySpan<char> trimmed = run.TrimEnd('=');
        Span<char> padded = trimmed.Length + 4 <= 1024 ? stackalloc char[trimmed.Length + 4] : new char[trimmed.Length + 4];
        int length = trimmed.Length - (trimmed.Length % 4 == 1 ? 1 : 0);
        for (int i = 0; i < length; i++)
        {
            char c = trimmed[i];
            padded[i] = c switch { '-' => '+', '_' => '/', _ => c };   // base64url
        }

        while (length % 4 != 0)
        {
            padded[length++] = '=';
        }

        return Convert.TryFromBase64Chars(padded[..length], bytes, out int count) ? count : 0;
    }

    private static int DecodeUrl(ReadOnlySpan<char> token, Span<byte> bytes)
    {
        int n = 0;
        for (int i = 0; i < token.Length; i++)
        {
            char c = token[i];
            if (c == '%' && i + 2 < token.Length && char.IsAsciiHexDigit(token[i + 1]) && char.IsAsciiHexDigit(token[i + 2]))
            {
                bytes[n++] = (byte)((HexValue(token[i + 1]) << 4) | HexValue(token[i + 2]));
                i += 2;
            }
            else if (c < 0x80)
            {
                bytes[n++] = (byte)(c == '+' ? ' ' : c);
            }
            else
            {
                return 0;
            }
        }

        return n;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static bool IsMostlyText(ReadOnlySpan<char> chars)
    {
        int text = 0;
        foreach (char c in chars)
        {
            if (char.IsLetterOrDigit(c) || char.IsWhiteSpace(c) || char.IsPunctuation(c) || char.IsSymbol(c))
            {
                text++;
            }
        }

        return text * 10 >= chars.Length * 9 && chars.ContainsAny(' ', '\n');
    }

    private static bool IsBase64Char(char c) => Base64Runs.IsAlphabetChar(c);

    private static readonly SearchValues<char> s_hexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    private enum EncodedKind
    {
        Base64OrHex,
        Url,
    }

    /// <summary>One view of the text: its phrase matcher (phrases and prefilter literals) and its regex rules.</summary>
    private sealed class View
    {
        private readonly PatternSet? _matcher;
        private readonly Target[][] _targets;      // per pattern id: what a match of it means (a phrase rule, or a prefilter of a regex rule)
        private readonly CompiledRegex[] _regexes;
        private readonly int[] _textScanningSlots; // the slots that look at the text itself at the end, those with the same prefilter characters next to each other: they share one search
        private readonly bool _hasCharacterPrefilters;
        private readonly int[]? _sharedIds;        // per pattern id: the original view's pattern it also is (in lower case), or -1
        private readonly bool[]? _sharedHasSpace;  // per pattern id: the shared pattern has a space, which white space other than spaces became

        /// <summary>Creates a view of <paramref name="rules"/>.</summary>
        /// <param name="steps">The normalization steps of the view.</param>
        /// <param name="rules">The rules of the view.</param>
        /// <param name="prefilters">Whether regexes run only around prefilter hits.</param>
        /// <param name="compileRegexes">Whether regexes are compiled once they have run often.</param>
        /// <param name="shared">
        /// The original view's patterns (<see cref="CanShareWalk"/>), added in lower case to this view's matcher so that one walk over
        /// a normalized text that differs from the original only by case finds them too (<see cref="ScanSharingWalk"/>).
        /// </param>
        public View(TextNormalization steps, IEnumerable<PolicyRule> rules, bool prefilters, bool compileRegexes, IReadOnlyList<string>? shared = null)
        {
            Steps = steps;
            var patterns = new List<string>();
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            var targets = new List<List<Target>>();
            var regexes = new List<CompiledRegex>();
            int max = 0;

            void AddPattern(string pattern, Target target)
            {
                if (pattern.Length == 0)
                {
                    return;
                }

                string key = steps == TextNormalization.None ? pattern.ToUpperInvariant() : pattern;
                if (!index.TryGetValue(key, out int id))
                {
                    id = patterns.Count;
                    index[key] = id;
                    patterns.Add(pattern);
                    targets.Add([]);
                }

                if (!targets[id].Contains(target))
                {
                    targets[id].Add(target);
                }
            }

            foreach (PolicyRule policyRule in rules)
            {
                ScanRule rule = policyRule.Rule;
                switch (rule.Detector)
                {
                    case PhraseDetector phrases:
                        foreach (string phrase in phrases.Phrases)
                        {
                            string normalized = NormalizePhrase(phrase, steps);
                            if (normalized.Length == 0)
                            {
                                continue;
                            }

                            max = Math.Max(max, normalized.Length);
                            AddPattern(normalized, new Target(rule, -1, IsWordChar(normalized[0]), IsWordChar(normalized[^1])));
                            if ((phrases.Variants & PhraseVariants.Rot13) != 0)
                            {
                                string rot13 = Rot13(normalized);
                                if (rot13 != normalized)
                                {
                                    AddPattern(rot13, new Target(rule, -1, IsWordChar(rot13[0]), IsWordChar(rot13[^1])));
                                }
                            }

                            if ((phrases.Variants & PhraseVariants.Spaceless) != 0 && normalized.Contains(' ', StringComparison.Ordinal))
                            {
                                string spaceless = normalized.Replace(" ", string.Empty, StringComparison.Ordinal);
                                if (spaceless.Length >= 10)
                                {
                                    AddPattern(spaceless, new Target(rule, -1, false, false));
                                }
                            }
                        }

                        break;

                    case RegexDetector detector:
                        var compiled = new CompiledRegex(rule, detector, regexes.Count, steps, prefilters, compileRegexes);
                        regexes.Add(compiled);
                        max = Math.Max(max, detector.MaxMatchLength);
                        foreach (string literal in detector.Prefilter)
                        {
                            AddPattern(steps == TextNormalization.None ? literal : NormalizePhrase(literal, steps), new Target(rule, compiled.Slot, false, false));
                        }

                        break;
                }
            }

            Patterns = [.. patterns];
            if (shared is not null)
            {
                var sharedIds = new List<int>(Enumerable.Repeat(-1, patterns.Count));
                var sharedHasSpace = new List<bool>(Enumerable.Repeat(false, patterns.Count));
                for (int originalId = 0; originalId < shared.Count; originalId++)
                {
                    string lower = shared[originalId].ToLowerInvariant();
                    if (!index.TryGetValue(lower, out int id))
                    {
                        id = patterns.Count;
                        index[lower] = id;
                        patterns.Add(lower);
                        targets.Add([]);
                        sharedIds.Add(-1);
                        sharedHasSpace.Add(false);
                    }

                    sharedIds[id] = originalId;
                    sharedHasSpace[id] = lower.Contains(' ', StringComparison.Ordinal);
                }

                _sharedIds = [.. sharedIds];
                _sharedHasSpace = [.. sharedHasSpace];
            }

            if (patterns.Count > 0)
            {
                var builder = new PatternSetBuilder { IgnoreCase = (steps & TextNormalization.CaseFold) == 0, MatchKind = MatchKind.Overlapping };
                foreach (string pattern in patterns)
                {
                    builder.Add(pattern);
                }

                _matcher = builder.Build();
            }

            _targets = [.. targets.Select(t => t.ToArray())];
            _regexes = [.. regexes];
            _hasCharacterPrefilters = regexes.Any(r => r.PrefilterCharacters is not null);
            _textScanningSlots = [.. regexes.Where(r => r.ScansText).OrderBy(r => r.PrefilterCharacters ?? "\uFFFF", StringComparer.Ordinal).Select(r => r.Slot)];
            MaxMatchLength = max;
        }

        public TextNormalization Steps { get; }

        /// <summary>Gets the view's own patterns (without the shared ones), by pattern id.</summary>
        public IReadOnlyList<string> Patterns { get; }

        public int MaxMatchLength { get; }

        /// <summary>Gets whether this view's matcher also holds the original view's patterns (<see cref="ScanSharingWalk"/>).</summary>
        public bool SharesWalk => _sharedIds is not null;

        /// <summary>
        /// Returns whether the normalized view with <paramref name="steps"/> can find <paramref name="original"/>'s patterns for it in
        /// ASCII texts in which normalization only folded case, mapped white space to spaces and collapsed runs of spaces: the steps
        /// fold case, and every pattern, in lower case, occurs in the normalized text wherever it occurs in the original ignoring case.
        /// </summary>
        public static bool CanShareWalk(View original, TextNormalization steps)
        {
            if ((steps & TextNormalization.CaseFold) == 0 || original._matcher is null || original.Patterns.Count > 4096)
            {
                return false;
            }

            var lowered = new HashSet<string>(StringComparer.Ordinal);
            foreach (string pattern in original.Patterns)
            {
                foreach (char c in pattern)
                {
                    // White space other than spaces became spaces in the normalized text (a pattern holding it would not match
                    // there), and a non-ASCII character with an ASCII case partner (the Kelvin sign) could match ASCII text.
                    bool asciiPartner = c > '\u007F' && (char.ToLowerInvariant(c) <= '\u007F' || char.ToUpperInvariant(c) <= '\u007F');
                    if ((char.IsWhiteSpace(c) && c != ' ') || asciiPartner)
                    {
                        return false;
                    }
                }

                if (pattern.StartsWith(' ') || pattern.EndsWith(' ') || pattern.Contains("  ", StringComparison.Ordinal))
                {
                    return false;   // a collapsed run of spaces would hide it
                }

                if (!lowered.Add(pattern.ToLowerInvariant()))
                {
                    return false;   // two patterns one in lower case: the walk could not tell which one hit
                }
            }

            return true;
        }

        [SkipLocalsInit]   // the runtime zeroed the buffers with a loop of pushes; Clear is a few vector stores
        public void Scan(ReadOnlySpan<char> text, OffsetMap map, ref FindingCollector findings)
        {
            // A buffer of a constant size, which the frame holds (one sized per call costs a stack probe loop each); a policy
            // with more regexes allocates its windows.
            const int InlineSlots = 128;
            int slots = _regexes.Length;
            Span<RegexWindow> windows = slots <= InlineSlots ? stackalloc RegexWindow[InlineSlots] : new RegexWindow[slots];
            Span<int> opened = slots <= InlineSlots ? stackalloc int[InlineSlots] : new int[slots];   // the slots whose literals hit, once each
            windows = windows[..slots];
            windows.Clear();
            var state = new ScanState(windows, opened[..slots]);
            if (_matcher is not null)
            {
                // The enumerator itself, not the copy foreach takes: copying it right after its fields were written stalled on
                // the store-to-load forwarding of its 64-byte halves.
                PatternMatchEnumerator matches = _matcher.EnumerateMatches(text);
                while (matches.MoveNext())
                {
                    PatternMatch match = matches.Current;
                    OnMatch(ref state, match.PatternId, match.Index, match.End, text, map, ref findings);
                }
            }

            Finish(ref state, text, map, ref findings);
        }

        /// <summary>
        /// Scans <paramref name="normalizedText"/>, in which every ASCII character of <paramref name="originalText"/> is itself in
        /// lower case or, white space, a space, with runs of spaces collapsed (<see cref="ScanPolicy.CanShareWalk"/>), for this view
        /// and for <paramref name="original"/> in one walk of this view's matcher.
        /// </summary>
        /// <remarks>
        /// Every occurrence of an original pattern is also one in the normalized text (<see cref="CanShareWalk"/> keeps out patterns
        /// with runs of spaces, leading or trailing spaces, or other white space). A hit of a pattern with a space may come from
        /// other white space or a run of spaces in the original: it counts only where the original characters are the pattern.
        /// When the original has other characters (<paramref name="verifyEveryHit"/>), any hit may come from them (a look-alike
        /// mapped to a letter, an invisible character removed): every hit is held to the original characters.
        /// </remarks>
        [SkipLocalsInit]   // as in Scan
        public void ScanSharingWalk(ReadOnlySpan<char> normalizedText, OffsetMap map, View original, ReadOnlySpan<char> originalText, bool verifyEveryHit, ref FindingCollector findings)
        {
            Debug.Assert(_sharedIds is not null, "A shared walk needs the shared patterns.");

            // Both views' windows in one buffer of a constant size, as in Scan.
            const int InlineSlots = 128;
            int slots = _regexes.Length + original._regexes.Length;
            Span<RegexWindow> allWindows = slots <= InlineSlots ? stackalloc RegexWindow[InlineSlots] : new RegexWindow[slots];
            Span<int> allOpened = slots <= InlineSlots ? stackalloc int[InlineSlots] : new int[slots];
            allWindows[..slots].Clear();
            var state = new ScanState(allWindows[.._regexes.Length], allOpened[.._regexes.Length]);
            var originalState = new ScanState(allWindows[_regexes.Length..slots], allOpened[_regexes.Length..slots]);
            int[] sharedIds = _sharedIds!;
            PatternMatchEnumerator matches = _matcher!.EnumerateMatches(normalizedText);   // not copied: as in Scan
            while (matches.MoveNext())
            {
                PatternMatch match = matches.Current;
                OnMatch(ref state, match.PatternId, match.Index, match.End, normalizedText, map, ref findings);
                int originalId = sharedIds[match.PatternId];
                if (originalId < 0)
                {
                    continue;
                }

                int start = map.Start(match.Index);
                int end = map.End(match.End - 1);
                if ((!verifyEveryHit && !_sharedHasSpace![match.PatternId])
                    || originalText[start..end].Equals(original.Patterns[originalId], StringComparison.OrdinalIgnoreCase))
                {
                    original.OnMatch(ref originalState, originalId, start, end, originalText, default, ref findings);
                }
            }

            Finish(ref state, normalizedText, map, ref findings);
            original.Finish(ref originalState, originalText, default, ref findings);
        }

        /// <summary>Acts on a match of pattern <paramref name="patternId"/> at <c>[index, end)</c>: reports a phrase, or records a prefilter hit.</summary>
        private void OnMatch(ref ScanState state, int patternId, int index, int end, ReadOnlySpan<char> text, OffsetMap map, ref FindingCollector findings)
        {
            foreach (Target target in _targets[patternId])
            {
                if (target.Slot >= 0)
                {
                    ref RegexWindow window = ref state.Windows[target.Slot];
                    if (!window.Opened)
                    {
                        window.Opened = true;   // a window, once opened, stays open until the end (AddHit runs and reopens it)
                        state.Opened[state.OpenedCount++] = target.Slot;
                    }

                    _regexes[target.Slot].AddHit(ref window, index, end, text, map, ref findings);
                }
                else if ((!target.BoundaryAtStart || index == 0 || !IsWordChar(text[index - 1]))
                    && (!target.BoundaryAtEnd || end == text.Length || !IsWordChar(text[end])))
                {
                    Report(target.Rule, index, end - index, map, ref findings);
                }
            }
        }

        /// <summary>Runs the windows the hits left open, and the rules that look at the text themselves.</summary>
        private void Finish(ref ScanState state, ReadOnlySpan<char> text, OffsetMap map, ref FindingCollector findings)
        {
            Span<RegexWindow> windows = state.Windows;

            // The runs of prefilter characters (the digits of the text) are found once for all rules with the same characters.
            Span<int> runs = _hasCharacterPrefilters ? stackalloc int[2 * 64] : default;   // zeroing it costs short texts
            int[]? rentedRuns = null;
            int runCount = 0;
            string? runCharacters = null;
            foreach (int slot in _textScanningSlots)
            {
                CompiledRegex regex = _regexes[slot];
                scoped ReadOnlySpan<int> slotRuns = default;
                if (regex.PrefilterCharacters is { } characters)
                {
                    if (!string.Equals(characters, runCharacters, StringComparison.Ordinal))
                    {
                        runCount = regex.FindPrefilterRuns(text, ref runs, ref rentedRuns);
                        runCharacters = characters;
                    }

                    slotRuns = runs[..(2 * runCount)];
                }

                regex.Finish(ref windows[slot], text, slotRuns, map, ref findings);
            }

            // The other rules have only literal prefilters: those whose literals never hit have nothing to do.
            foreach (int slot in state.Opened[..state.OpenedCount])
            {
                if (!_regexes[slot].ScansText)
                {
                    _regexes[slot].Finish(ref windows[slot], text, default, map, ref findings);
                }
            }

            if (rentedRuns is not null)
            {
                ArrayPool<int>.Shared.Return(rentedRuns);
            }
        }

        internal static void Report(ScanRule rule, int index, int length, OffsetMap map, ref FindingCollector findings)
        {
            if (length <= 0)
            {
                return;
            }

            if (map.IsIdentity)
            {
                findings.Add(rule, index, length);
            }
            else
            {
                int start = map.Start(index);
                findings.Add(rule, start, map.End(index + length - 1) - start);
            }
        }

        private static string NormalizePhrase(string phrase, TextNormalization steps)
        {
            using NormalizedText normalized = TextNormalizer.Normalize(phrase, steps);
            return normalized.Text.Trim().ToString();
        }

        private static string Rot13(string text) => string.Create(text.Length, text, static (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                char c = source[i];
                span[i] = c switch
                {
                    >= 'a' and <= 'z' => (char)('a' + ((c - 'a' + 13) % 26)),
                    >= 'A' and <= 'Z' => (char)('A' + ((c - 'A' + 13) % 26)),
                    _ => c,
                };
            }
        });
    }

    internal static bool IsWordChar(char c) => char.IsLetterOrDigit(c) && c < '\u2E80';

    private readonly record struct Target(ScanRule Rule, int Slot, bool BoundaryAtStart, bool BoundaryAtEnd);

    /// <summary>The regex windows of one view during one scan, and the slots whose literals hit.</summary>
    private ref struct ScanState
    {
        /// <param name="windows">One window per regex slot, each <see cref="RegexWindow.None"/> (the default value: cleared memory).</param>
        /// <param name="opened">Room for every slot.</param>
        public ScanState(Span<RegexWindow> windows, Span<int> opened)
        {
            Windows = windows;
            Opened = opened;
        }

        public Span<RegexWindow> Windows;
        public Span<int> Opened;
        public int OpenedCount;
    }

    /// <summary>A regex rule compiled for one view.</summary>
    private sealed class CompiledRegex
    {
        /// <summary>The most start positions tried one by one with the anchored regex; a longer range runs the regex over the window.</summary>
        private const int MaxAnchoredStarts = 16;

        private static readonly Regex s_inlineExtendedMode = new(@"\(\?[imnsx]*x[imnsx]*(?:-[imnsx]*)?[:)]", RegexOptions.CultureInvariant);

        private readonly ScanRule _rule;
        private readonly CompiledRegexCache.Holder _regex;
        private readonly int _valueGroup;
        private readonly Func<ReadOnlySpan<char>, bool>? _validator;
        private readonly Func<ReadOnlySpan<char>, bool>? _containerTest;   // false: no part of the match can pass the validator
        private readonly SearchValues<char>? _prefilterChars;
        private readonly bool _hasLiteralPrefilter;
        private readonly int _reach;       // how far from a prefilter hit a match can begin or end
        private readonly int _reachBefore; // how far before the start of a prefilter hit a match can begin
        private readonly bool _containsHit; // every match contains a prefilter hit: nothing after the last hit of a window can start one
        private readonly int _minPrefilterChars; // a window with fewer prefilter characters holds no match
        private readonly int _maxPrefilterGap;   // -1, or the most other characters between two prefilter characters of one match
        private readonly int _minClusterChars;   // with a gap: a cluster of prefilter characters with fewer of them holds no match
        private readonly SearchValues<char>? _charsBefore;   // the characters a match can have before its hit
        private readonly bool _prefilters;
        private readonly bool _windows;
        private readonly string _pattern;
        private readonly RegexOptions _options;
        private readonly bool _compile;
        private readonly bool _anchorable;
        private readonly bool _wordStarts;   // anchored tries only where a word begins (RegexDetector.StartsAtWordBoundary)
        private readonly bool _gatesStarts;  // NextStart rules out some places of an anchored window
        private readonly bool _splitsAtHits; // a hit too far after the window's last one for a match to begin near both opens a window of its own
        private readonly StartLiteralSearch? _startLiterals;   // every match begins with one of them (case aside): tries only there
        private readonly SearchValues<char>? _firstCharacters;  // every match begins with one of them: tries only there
        private readonly SearchValues<char>? _excludedBefore;   // no match comes right after one of them: no tries there
        private CompiledRegexCache.Holder? _anchored;   // \G(?:pattern), built on first need

        public CompiledRegex(ScanRule rule, RegexDetector detector, int slot, TextNormalization steps, bool prefilters, bool compile)
        {
            _rule = rule;
            Slot = slot;
            _pattern = NormalizePattern(detector.Pattern, steps);
            _options = RegexDetector.Options(detector.IgnoreCase);
            _compile = compile;
            _regex = CompiledRegexCache.Get(_pattern, _options, RegexDetector.MatchTimeout, compile);
            _valueGroup = _regex.Current.GroupNumberFromName("value");
            _validator = detector.Validator is null ? null : RuleValidators.Get(detector.Validator);
            _containerTest = detector.Validator is null ? null : RuleValidators.GetContainerTest(detector.Validator);
            _prefilterChars = string.IsNullOrEmpty(detector.PrefilterCharacters) ? null : SearchValues.Create(detector.PrefilterCharacters);
            _hasLiteralPrefilter = detector.Prefilter.Count > 0;
            _reach = detector.MaxMatchLength;
            _prefilters = prefilters;
            _windows = prefilters && (!_hasLiteralPrefilter || _prefilterChars is null);   // with both kinds, hits of the two would arrive out of order
            _containsHit = _windows && detector.MaxLengthBeforePrefilter is not null && (_hasLiteralPrefilter || _prefilterChars is not null);
            _minPrefilterChars = _windows && _prefilterChars is not null ? detector.MinPrefilterCharacters ?? 1 : 0;
            _maxPrefilterGap = _prefilterChars is not null ? detector.MaxPrefilterGap ?? -1 : -1;
            _minClusterChars = detector.MinPrefilterCharacters ?? 1;

            // In a pattern that turns on x mode inline, a closing comment would swallow the parenthesis the anchored form adds.
            _anchorable = _containsHit && !s_inlineExtendedMode.IsMatch(_pattern);
            _wordStarts = _anchorable && detector.StartsAtWordBoundary;
            _splitsAtHits = _anchorable && _prefilterChars is null;
            if (_splitsAtHits && RegexStartAnchors.FindStartLiterals(_pattern, detector.IgnoreCase) is { } literals)
            {
                _startLiterals = new StartLiteralSearch(literals, detector.IgnoreCase);
            }

            _firstCharacters = _anchorable && _startLiterals is null ? RegexFirstCharacters.Find(_pattern, detector.IgnoreCase) : null;
            _excludedBefore = _anchorable ? RegexFirstCharacters.FindExcludedBefore(_pattern, detector.IgnoreCase) : null;
            _gatesStarts = _anchorable && (_wordStarts || _prefilterChars is not null || _startLiterals is not null || _firstCharacters is not null || _excludedBefore is not null);
            _reachBefore = _containsHit ? detector.MaxLengthBeforePrefilter!.Value : _reach;
            _charsBefore = _containsHit && !string.IsNullOrEmpty(detector.CharactersBeforePrefilter)
                ? SearchValues.Create(detector.CharactersBeforePrefilter)
                : null;
            ScansText = !_prefilters || !_hasLiteralPrefilter || _prefilterChars is not null;
            PrefilterCharacters = _prefilters && _prefilterChars is not null ? detector.PrefilterCharacters : null;
        }

        public int Slot { get; }

        /// <summary>Gets the characters of the character prefilter when it decides where the regex runs, or <see langword="null"/>.</summary>
        public string? PrefilterCharacters { get; }

        /// <summary>Gets whether <see cref="Finish"/> looks at the text itself (a character prefilter, or no prefilter), not only at the windows the literal hits opened.</summary>
        public bool ScansText { get; }

        /// <summary>
        /// Maps the non-ASCII literal characters of a pattern the way the view maps the text (case folding and look-alikes), so a
        /// pattern written in Cyrillic or Greek still matches the normalized text. ASCII, and with it all regex syntax, is left alone.
        /// </summary>
        private static string NormalizePattern(string pattern, TextNormalization steps)
        {
            if ((steps & (TextNormalization.CaseFold | TextNormalization.Confusables)) == 0 || !pattern.AsSpan().ContainsAnyExceptInRange('\0', '\u007F'))
            {
                return pattern;
            }

            return string.Create(pattern.Length, (pattern, steps), static (span, state) =>
            {
                for (int i = 0; i < state.pattern.Length; i++)
                {
                    char c = state.pattern[i];
                    if (c >= 0x80)
                    {
                        if ((state.steps & TextNormalization.CaseFold) != 0)
                        {
                            c = char.ToLowerInvariant(c);
                        }

                        if ((state.steps & TextNormalization.Confusables) != 0)
                        {
                            c = Confusables.Map(c);
                        }
                    }

                    span[i] = c;
                }
            });
        }

        /// <summary>Records a prefilter hit at <c>[start, end)</c>: widens the pending window of this rule, or runs it and opens a new one.</summary>
        public void AddHit(ref RegexWindow window, int start, int end, ReadOnlySpan<char> text, OffsetMap map, ref FindingCollector findings)
        {
            int from = _windows ? Math.Max(0, start - _reachBefore) : 0;
            if (_charsBefore is not null)
            {
                // A match begins within the run of its characters before the hit, and no earlier.
                from += text[from..start].LastIndexOfAnyExcept(_charsBefore) + 1;
            }

            int to = _windows ? (int)Math.Min(text.Length, (long)end + _reach + RegexWindow.LookAround) : text.Length;
            if (window.Start >= 0 && (from > window.End || (_splitsAtHits && from > window.LastHit)))
            {
                Run(ref window, text, map, ref findings);
                window.Start = -1;
            }

            int lastHit = _containsHit ? start : text.Length;
            if (window.Start < 0)
            {
                window.Start = from;
                window.End = to;
                window.LastHit = lastHit;
                window.PrefilterChars = 0;
            }
            else
            {
                window.Start = Math.Min(window.Start, from);
                window.End = Math.Max(window.End, to);
                window.LastHit = Math.Max(window.LastHit, lastHit);
            }
        }

        /// <summary>Widens the open window to a later hit at <c>[start, end)</c> that begins before the window's end, as <see cref="AddHit"/> would.</summary>
        private void Widen(ref RegexWindow window, int start, int end, int textLength)
        {
            window.End = Math.Max(window.End, (int)Math.Min(textLength, (long)end + _reach + RegexWindow.LookAround));
            window.LastHit = Math.Max(window.LastHit, _containsHit ? start : textLength);
        }

        /// <summary>
        /// Writes the runs of the prefilter characters in <paramref name="text"/> as (start, end) pairs to <paramref name="runs"/>,
        /// replacing it with a larger array from the pool (in <paramref name="rented"/>, to be returned) when it is full.
        /// </summary>
        /// <returns>The number of runs.</returns>
        public int FindPrefilterRuns(ReadOnlySpan<char> text, ref Span<int> runs, ref int[]? rented)
        {
            int count = 0;
            int hit = text.IndexOfAny(_prefilterChars!);
            while (hit >= 0)
            {
                int runLength = text[(hit + 1)..].IndexOfAnyExcept(_prefilterChars!);
                int runEnd = runLength < 0 ? text.Length : hit + 1 + runLength;
                if (2 * count == runs.Length)
                {
                    int[] larger = ArrayPool<int>.Shared.Rent(Math.Max(2 * runs.Length, 128));
                    runs.CopyTo(larger);
                    if (rented is not null)
                    {
                        ArrayPool<int>.Shared.Return(rented);
                    }

                    rented = larger;
                    runs = larger;
                }

                runs[2 * count] = hit;
                runs[(2 * count) + 1] = runEnd;
                count++;
                int next = runEnd < text.Length ? text[runEnd..].IndexOfAny(_prefilterChars!) : -1;
                hit = next < 0 ? -1 : runEnd + next;
            }

            return count;
        }

        /// <summary>
        /// Adds the hits of the character prefilter (its <paramref name="runs"/>, from <see cref="FindPrefilterRuns"/>), or the whole
        /// text for a rule without prefilter, and runs what is pending.
        /// </summary>
        public void Finish(ref RegexWindow window, ReadOnlySpan<char> text, ReadOnlySpan<int> runs, OffsetMap map, ref FindingCollector findings)
        {
            if (!_prefilters || (!_hasLiteralPrefilter && _prefilterChars is null))
            {
                AddHit(ref window, 0, text.Length, text, map, ref findings);
            }
            else if (_prefilterChars is not null)
            {
                int previousRunEnd = int.MinValue / 2;   // the end of the last run added: a run within the gap belongs to its cluster
                for (int run = 0; run < runs.Length; run += 2)
                {
                    int hit = runs[run];
                    int runEnd = runs[run + 1];
                    if (_maxPrefilterGap >= 0 && hit - previousRunEnd > _maxPrefilterGap && !IsLargeCluster(runs, run, out int nextCluster))
                    {
                        run = nextCluster - 2;   // too few prefilter characters close enough together: no match holds any of them
                        continue;
                    }

                    AddHit(ref window, hit, hit + 1, text, map, ref findings);
                    if (!_windows)
                    {
                        break;   // the window is the whole text already
                    }

                    // The hits of a run of prefilter characters (the digits of a number) widen one window a character at a
                    // time: none of them can start a new window (each begins before the window's end), so widening the
                    // window to the run's last hit makes the same window as adding every hit.
                    if (runEnd - 1 > hit)
                    {
                        Widen(ref window, runEnd - 1, runEnd, text.Length);
                    }

                    window.PrefilterChars += runEnd - hit;
                    previousRunEnd = runEnd;
                }
            }

            if (window.Start >= 0)
            {
                Run(ref window, text, map, ref findings);
                window.Start = -1;
            }
        }

        /// <summary>
        /// Returns whether the cluster of prefilter runs that starts at <paramref name="run"/> (each at most <c>maxPrefilterGap</c>
        /// other characters from the next) holds at least <c>minPrefilterCharacters</c> prefilter characters.
        /// </summary>
        /// <param name="runs">The (start, end) pairs of the runs.</param>
        /// <param name="run">The index in <paramref name="runs"/> of the first run of the cluster.</param>
        /// <param name="nextCluster">The index in <paramref name="runs"/> of the first run after the cluster; set only when the cluster is too small.</param>
        private bool IsLargeCluster(ReadOnlySpan<int> runs, int run, out int nextCluster)
        {
            int count = runs[run + 1] - runs[run];
            int at = run + 2;
            while (count < _minClusterChars)
            {
                if (at == runs.Length || runs[at] - runs[at - 1] > _maxPrefilterGap)
                {
                    nextCluster = at;
                    return false;
                }

                count += runs[at + 1] - runs[at];
                at += 2;
            }

            nextCluster = -1;
            return true;
        }

        /// <summary>
        /// Runs the regex over <c>[window.Start, window.End)</c> of the text, seeing all the text before it (look-behinds, <c>\b</c>)
        /// and not before the end of the last match of an earlier window (the matches of a whole-text run do not overlap). A match
        /// that ends within <see cref="RegexWindow.LookAround"/> characters of a cut end may have been shaped by the cut: the window
        /// then grows and the regex runs again from that match. When every match contains a prefilter hit, the run stops after the
        /// match that covers the window's last hit (or at one that starts after it), without looking for more.
        /// </summary>
        private void Run(ref RegexWindow window, ReadOnlySpan<char> text, OffsetMap map, ref FindingCollector findings)
        {
            int from = Math.Max(window.Start, window.Resume);
            int to = window.End;
            if (from > to || window.PrefilterChars < _minPrefilterChars)
            {
                return;   // nothing left to read, or too few of the characters every match holds
            }

            if (_anchorable && (window.LastHit - from < MaxAnchoredStarts || (_gatesStarts && CountStarts(text, from, Math.Min(window.LastHit, to)) < MaxAnchoredStarts)))
            {
                RunAnchored(ref window, from, to, text, map, ref findings);
                return;
            }

            Regex regex = _regex.Acquire();   // interpreted or compiled: the same matches
            try
            {
                while (true)
                {
                    int widenFrom = -1;
                    foreach (ValueMatch match in regex.EnumerateMatches(text[..to], from))
                    {
                        if (match.Index > window.LastHit)
                        {
                            return;   // contains no hit of this window: a later window finds it
                        }

                        int matchEnd = match.Index + match.Length;
                        if (to < text.Length && matchEnd + RegexWindow.LookAround > to)
                        {
                            widenFrom = match.Index;
                            break;
                        }

                        Report(regex, match.Index, match.Length, text, map, ref findings);
                        window.Resume = match.Length == 0 ? matchEnd + 1 : matchEnd;
                        if (matchEnd > window.LastHit)
                        {
                            return;   // any later match starts after every hit of this window
                        }
                    }

                    if (widenFrom < 0)
                    {
                        return;
                    }

                    from = widenFrom;
                    to = (int)Math.Min(text.Length, to + Math.Max((long)_reach, to - window.Start));
                }
            }
            catch (RegexMatchTimeoutException)
            {
                View.Report(_rule, 0, text.Length, map, ref findings);   // fail closed: the whole text is suspect
                window.Resume = text.Length;
            }
        }

        /// <summary>
        /// Returns whether a match of a rule that starts at word boundaries can begin at <paramref name="index"/>: at a letter or
        /// digit with none before it, or at a CJK or kana character.
        /// </summary>
        private static bool IsWordStart(ReadOnlySpan<char> text, int index) =>
            index < text.Length && (text[index] >= '\u2E80' || (IsWordChar(text[index]) && (index == 0 || !IsWordChar(text[index - 1]))));

        /// <summary>
        /// Returns the first place in <c>[start, last]</c> where a match can begin, or <c>last + 1</c>: where a word begins, when
        /// the rule declares it; for a prefilter of characters, with one of them at most <c>maxLengthBeforePrefilter</c>
        /// characters on (every match holds a hit that begins that close to the match's start); when the pattern shows
        /// literals every match begins with (<see cref="RegexStartAnchors.FindStartLiterals"/>), where one of them begins;
        /// when it shows the characters every match begins with (<see cref="RegexFirstCharacters"/>), at one of them; and
        /// when its leading look-behinds rule out characters before a match (<see cref="RegexFirstCharacters.FindExcludedBefore"/>),
        /// not right after one of them.
        /// </summary>
        /// <param name="text">The text.</param>
        /// <param name="start">The first place to consider.</param>
        /// <param name="last">The last place to consider.</param>
        /// <param name="nextCharacter">The first prefilter character at or after the last place looked at (-1 at first): a
        /// window's places are looked at in order, so each prefilter character is searched for once, and the places too far
        /// before the next one are skipped at once.</param>
        private int NextStart(ReadOnlySpan<char> text, int start, int last, ref int nextCharacter)
        {
            while (start <= last)
            {
                if (_prefilterChars is not null)
                {
                    if (nextCharacter < start)
                    {
                        int found = start < text.Length ? text[start..].IndexOfAny(_prefilterChars) : -1;
                        nextCharacter = found < 0 ? int.MaxValue : start + found;
                    }

                    if (nextCharacter - start > _reachBefore)
                    {
                        if (nextCharacter == int.MaxValue)
                        {
                            break;
                        }

                        start = nextCharacter - _reachBefore;   // the first place with the character within reach
                        continue;
                    }
                }
                else if (_startLiterals is not null)
                {
                    // The next place at or after start where one of the literals every match begins with begins.
                    int limit = (int)Math.Min(text.Length, (long)last + _startLiterals.Longest);
                    int found = start < limit ? _startLiterals.IndexOfAny(text[start..limit]) : -1;
                    if (found < 0)
                    {
                        break;
                    }

                    start += found;
                    if (start > last)
                    {
                        break;
                    }
                }

                if ((!_wordStarts || IsWordStart(text, start))
                    && (_firstCharacters is null || (start < text.Length && _firstCharacters.Contains(text[start])))
                    && (_excludedBefore is null || start == 0 || !_excludedBefore.Contains(text[start - 1])))
                {
                    return start;
                }

                start++;
            }

            return last + 1;
        }

        /// <summary>Counts the places in <c>[from, last]</c> where a match can begin (<see cref="NextStart"/>), up to <see cref="MaxAnchoredStarts"/>.</summary>
        private int CountStarts(ReadOnlySpan<char> text, int from, int last)
        {
            int count = 0;
            int nextCharacter = -1;
            for (int i = NextStart(text, from, last, ref nextCharacter); i <= last && count < MaxAnchoredStarts; i = NextStart(text, i + 1, last, ref nextCharacter))
            {
                count++;
            }

            return count;
        }

        /// <summary>
        /// Runs the window the way <see cref="Run"/> does, for a rule whose matches all start in <c>[from, window.LastHit]</c>
        /// (they begin at most <c>maxLengthBeforePrefilter</c> characters before a hit) when the places a match can begin there
        /// are few: instead of letting the regex look for a start across the whole window, it tries the regex anchored
        /// (<c>\G</c>) at each of them. At one start a backtracking regex finds the same match anchored or not, so the findings
        /// are the same.
        /// </summary>
        private void RunAnchored(ref RegexWindow window, int from, int to, ReadOnlySpan<char> text, OffsetMap map, ref FindingCollector findings)
        {
            Regex regex = Anchored.Acquire();
            try
            {
                int nextCharacter = -1;
                int start = NextStart(text, from, Math.Min(window.LastHit, to), ref nextCharacter);
                while (start <= window.LastHit && start <= to)
                {
                    ValueMatch match = default;
                    bool found = false;
                    foreach (ValueMatch candidate in regex.EnumerateMatches(text[..to], start))
                    {
                        match = candidate;
                        found = true;
                        break;
                    }

                    if (!found)
                    {
                        start = NextStart(text, start + 1, Math.Min(window.LastHit, to), ref nextCharacter);
                        continue;
                    }

                    int matchEnd = match.Index + match.Length;
                    if (to < text.Length && matchEnd + RegexWindow.LookAround > to)
                    {
                        to = (int)Math.Min(text.Length, to + Math.Max((long)_reach, to - window.Start));
                        continue;   // the cut may have shaped the match: try the same start with more text
                    }

                    Report(_regex.Current, match.Index, match.Length, text, map, ref findings);
                    window.Resume = match.Length == 0 ? matchEnd + 1 : matchEnd;
                    if (matchEnd > window.LastHit)
                    {
                        return;
                    }

                    start = NextStart(text, window.Resume, Math.Min(window.LastHit, to), ref nextCharacter);
                }
            }
            catch (RegexMatchTimeoutException)
            {
                View.Report(_rule, 0, text.Length, map, ref findings);   // fail closed: the whole text is suspect
                window.Resume = text.Length;
            }
        }

        private CompiledRegexCache.Holder Anchored
        {
            get
            {
                if (_anchored is null)
                {
                    Interlocked.CompareExchange(ref _anchored, CompiledRegexCache.Get(@"\G(?:" + _pattern + ")", _options, RegexDetector.MatchTimeout, _compile), null);
                }

                return _anchored;
            }
        }

        private void Report(Regex regex, int index, int length, ReadOnlySpan<char> text, OffsetMap map, ref FindingCollector findings)
        {
            if (_valueGroup > 0)
            {
                if (_containerTest is not null && !_containerTest(text.Slice(index, length)))
                {
                    return;   // the validator would reject every part of the match: skip the allocating group search
                }

                Group group = regex.Match(text.Slice(index, length).ToString()).Groups[_valueGroup];
                if (!group.Success)
                {
                    return;
                }

                index += group.Index;
                length = group.Length;
            }

            if (length > 0 && (_validator is null || _validator(text.Slice(index, length))))
            {
                View.Report(_rule, index, length, map, ref findings);
            }
        }
    }

    /// <summary>The pending window of one regex rule during a scan: <c>[Start, End)</c>, or none when <c>Start</c> is negative.</summary>
    private struct RegexWindow
    {
        /// <summary>Characters after a window's last prefilter reach kept for look-aheads and <c>\b</c>.</summary>
        public const int LookAround = 32;

        private int _startPlusOne;   // 0, the default, when there is no window: cleared memory needs no filling

        public int End;
        public int Resume;   // the end of the last match: the next window starts there at the earliest
        public int LastHit;  // the start of the window's last prefilter hit, or the text's length when matches need not contain one
        public int PrefilterChars;   // how many prefilter characters the window's hits cover (character prefilters only)
        public bool Opened;          // a literal prefilter of the rule hit during this scan

        public static RegexWindow None => default;

        /// <summary>Gets or sets where the window starts; -1 when there is none.</summary>
        public int Start
        {
            readonly get => _startPlusOne - 1;
            set => _startPlusOne = value + 1;
        }
    }
}
