namespace SafetyLayers.Matching.Tests;

/// <summary>
/// The matcher against the naive oracle on random patterns over small alphabets (so that overlaps and shared prefixes
/// abound), random texts and random chunkings, for every match kind, both case modes, every engine and every prefilter.
/// </summary>
public class DifferentialTests
{
    private const int CasesPerKind = 10_000;

    // Small alphabets with case pairs, a non-ASCII case pair and a surrogate pair (U+1F600 = D83D DE00).
    private static readonly string[] Alphabets = ["ab", "abc", "aAbB", "abcdéÉ", "ab\uD83D\uDE00", "ſsSkK\u212A"];

    public static TheoryData<MatchKind, bool> KindsAndCases => new()
    {
        { MatchKind.Overlapping, false }, { MatchKind.Overlapping, true },
        { MatchKind.LeftmostFirst, false }, { MatchKind.LeftmostFirst, true },
        { MatchKind.LeftmostLongest, false }, { MatchKind.LeftmostLongest, true },
    };

    public static TheoryData<ScanEngine, PrefilterKind> Configurations
    {
        get
        {
            var data = new TheoryData<ScanEngine, PrefilterKind>();
            foreach (ScanEngine engine in Enum.GetValues<ScanEngine>())
            {
                foreach (PrefilterKind prefilter in Enum.GetValues<PrefilterKind>())
                {
                    data.Add(engine, prefilter);
                }
            }

            return data;
        }
    }

    [Theory, MemberData(nameof(KindsAndCases))]
    public void EnumerateMatches_RandomCases_MatchOracleOneShotAndStreamed(MatchKind kind, bool ignoreCase)
    {
        var random = new Random(HashCode.Combine(kind, ignoreCase, 2026));
        ScanEngine[] engines = Enum.GetValues<ScanEngine>();
        PrefilterKind[] prefilters = Enum.GetValues<PrefilterKind>();
        for (int n = 0; n < CasesPerKind; n++)
        {
            string alphabet = Alphabets[random.Next(Alphabets.Length)];
            List<string> patterns = RandomPatterns(random, alphabet);
            string text = RandomText(random, alphabet, random.Next(0, 80));
            ScanEngine engine = engines[n % engines.Length];
            PrefilterKind prefilter = prefilters[(n / engines.Length) % prefilters.Length];
            bool verify = (n / (engines.Length * prefilters.Length)) % 2 == 0;
            bool narrow = (n / (engines.Length * prefilters.Length * 2)) % 2 == 0;
            PatternSet set = new PatternSetBuilder { MatchKind = kind, IgnoreCase = ignoreCase }
                .AddRange(patterns).ForceEngine(engine).ForcePrefilter(prefilter).ForceCandidateVerification(verify).ForceNarrowDfa(narrow).Build();
            List<PatternMatch> expected = NaiveOracle.Matches(patterns, text, kind, ignoreCase);
            string because = $"case {n}: patterns [{string.Join(", ", patterns.Select(Escape))}], text \"{Escape(text)}\", {engine}, {prefilter}, verify {verify}, narrow {narrow}";

            MatchCollector.OneShot(set, text).Should().Equal(expected, because);
            List<int> cuts = MatchCollector.RandomCuts(random, text.Length);
            MatchCollector.Streamed(set, text, cuts).Should().Equal(expected, because + $", cuts [{string.Join(",", cuts)}]");
            set.TryFindFirst(text, out PatternMatch first).Should().Be(expected.Count > 0, because);
            if (expected.Count > 0)
            {
                first.Should().Be(expected[0], because);
            }
        }
    }

    [Theory, MemberData(nameof(Configurations))]
    public void EnumerateMatches_EveryConfiguration_MatchesOracleOnLargerSets(ScanEngine engine, PrefilterKind prefilter)
    {
        var random = new Random(HashCode.Combine(engine, prefilter));
        foreach (MatchKind kind in Enum.GetValues<MatchKind>())
        {
            for (int n = 0; n < 100; n++)
            {
                bool ignoreCase = n % 2 == 1;
                bool verify = n % 4 < 2;
                bool narrow = n % 8 >= 4;
                string alphabet = n % 3 == 0 ? "abcdefghij" : "abcdABCD xyz";
                int minLength = n % 5 == 0 ? 4 : 1; // longer patterns: fingerprints that start inside the pattern
                List<string> patterns = Enumerable.Range(0, random.Next(1, 120)).Select(_ => RandomText(random, alphabet, random.Next(minLength, 9 + (2 * minLength)))).ToList();
                string text = RandomText(random, alphabet, random.Next(0, 300));
                PatternSet set = new PatternSetBuilder { MatchKind = kind, IgnoreCase = ignoreCase }
                    .AddRange(patterns).ForceEngine(engine).ForcePrefilter(prefilter).ForceCandidateVerification(verify).ForceNarrowDfa(narrow).Build();

                List<PatternMatch> expected = NaiveOracle.Matches(patterns, text, kind, ignoreCase);

                MatchCollector.OneShot(set, text).Should().Equal(expected, $"{kind}, ignoreCase {ignoreCase}, verify {verify}, narrow {narrow}, case {n}");
                MatchCollector.Streamed(set, text, MatchCollector.RandomCuts(random, text.Length)).Should().Equal(expected);
            }
        }
    }

    [Theory, MemberData(nameof(KindsAndCases))]
    public void EnumerateMatches_LongTextsWithFewMatches_MatchOracleAtEveryPlace(MatchKind kind, bool ignoreCase)
    {
        // Texts of 128 characters and more are walked in four parts at once (overlapping: the whole text first; leftmost:
        // window after window); matches are placed anywhere, in any part, across part and window borders and at the ends,
        // and the patterns are up to 60 characters long so the parts overlap a lot.
        var random = new Random(4242 + (ignoreCase ? 1 : 0) + (10 * (int)kind));
        for (int n = 0; n < 400; n++)
        {
            // Arrange
            List<string> patterns = [.. Enumerable.Range(0, random.Next(1, 40)).Select(_ => "x" + RandomText(random, "xyzab", random.Next(0, n % 4 == 0 ? 60 : 6)))];
            char[] text = RandomText(random, n % 3 == 2 ? "abcdefghxy " : "abcdefgh ", random.Next(200, 3000)).ToCharArray(); // "xy": partial matches
            for (int k = random.Next(0, 4); k > 0; k--)
            {
                string pattern = patterns[random.Next(patterns.Count)];
                int at = random.Next(0, Math.Max(1, text.Length - pattern.Length + 1));
                pattern.AsSpan(0, Math.Min(pattern.Length, text.Length - at)).CopyTo(text.AsSpan(at));
            }

            string haystack = new(text);
            PatternSet set = new PatternSetBuilder { MatchKind = kind, IgnoreCase = ignoreCase }
                .AddRange(patterns).ForceEngine(ScanEngine.Dfa).ForcePrefilter(PrefilterKind.None).ForceNarrowDfa(n % 2 == 1).Build();

            // Act
            List<PatternMatch> actual = MatchCollector.OneShot(set, haystack);

            // Assert
            actual.Should().Equal(NaiveOracle.Matches(patterns, haystack, kind, ignoreCase), $"case {n}");
        }
    }

    [Theory, MemberData(nameof(KindsAndCases))]
    public void EnumerateMatches_DeepStatesAcrossPartBorders_MatchOracle(MatchKind kind, bool ignoreCase)
    {
        // Long runs of one letter keep the automaton deep in a pattern's prefix for up to a window's length, so the four
        // parts of a multi-stream walk join late or not at all (a state deeper than a part is long), and matches start in
        // one part, or one window, and end in another.
        var random = new Random(7000 + (ignoreCase ? 1 : 0) + (10 * (int)kind));
        for (int n = 0; n < 300; n++)
        {
            // Arrange
            int longest = n % 2 == 0 ? 100 : PatternSet.WindowLength;
            List<string> patterns = [.. Enumerable.Range(0, random.Next(1, 6)).Select(_ => new string('a', random.Next(1, longest)) + (random.Next(3) == 0 ? "" : "b"))];
            char[] text = new string('a', random.Next(64, 3000)).ToCharArray();
            for (int k = random.Next(0, 6); k > 0; k--)
            {
                text[random.Next(text.Length)] = random.Next(2) == 0 ? 'b' : 'c';
            }

            string haystack = new(text);
            PatternSet set = new PatternSetBuilder { MatchKind = kind, IgnoreCase = ignoreCase }
                .AddRange(patterns).ForceEngine(ScanEngine.Dfa).ForcePrefilter(PrefilterKind.None).ForceNarrowDfa(n % 2 == 1).Build();

            // Act
            List<PatternMatch> actual = MatchCollector.OneShot(set, haystack);

            // Assert
            actual.Should().Equal(NaiveOracle.Matches(patterns, haystack, kind, ignoreCase), $"case {n}: patterns {string.Join(", ", patterns.Select(p => p.Length))}, text {haystack.Length}");
        }
    }

    private static List<string> RandomPatterns(Random random, string alphabet)
    {
        int count = random.Next(1, 9);
        var patterns = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            patterns.Add(random.Next(8) == 0 && patterns.Count > 0 ? patterns[random.Next(patterns.Count)] : RandomText(random, alphabet, random.Next(1, 7)));
        }

        return patterns;
    }

    private static string RandomText(Random random, string alphabet, int length)
    {
        var chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            chars[i] = alphabet[random.Next(alphabet.Length)];
        }

        return new string(chars);
    }

    private static string Escape(string s) => string.Concat(s.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:X4}"));
}
