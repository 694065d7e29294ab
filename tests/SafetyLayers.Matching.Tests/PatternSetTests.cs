using System.Runtime.Intrinsics;

namespace SafetyLayers.Matching.Tests;

public class PatternSetTests
{
    public static TheoryData<ScanEngine, PrefilterKind> Configurations => DifferentialTests.Configurations;

    [Theory, MemberData(nameof(Configurations))]
    public void TryFindFirst_PatternAtAnyOffset_MatchesNaiveOracle(ScanEngine engine, PrefilterKind prefilter)
    {
        // Arrange
        string[] patterns = ["sk-live-", "password", "pass"];
        PatternSet set = new PatternSetBuilder { MatchKind = MatchKind.LeftmostFirst }.AddRange(patterns).ForceEngine(engine).ForcePrefilter(prefilter).Build();
        for (int offset = 0; offset <= (2 * Vector512<ushort>.Count) + 1; offset++)
        {
            for (int tail = 0; tail <= 3; tail++)
            {
                string text = new string('x', offset) + "password" + new string('x', tail);

                // Act
                bool found = set.TryFindFirst(text, out PatternMatch match);

                // Assert
                found.Should().BeTrue();
                match.Should().Be(new PatternMatch(1, offset, 8), because: $"offset {offset}, tail {tail}");
            }
        }
    }

    [Theory, MemberData(nameof(Configurations))]
    public void EnumerateMatches_LengthsAroundVectorWidths_FindsMatchesAtEveryEdge(ScanEngine engine, PrefilterKind prefilter)
    {
        PatternSet set = new PatternSetBuilder { MatchKind = MatchKind.Overlapping }.Add("ab").Add("b").ForceEngine(engine).ForcePrefilter(prefilter).Build();
        foreach (int length in new[] { 1, 2, 3, 15, 16, 17, 18, 31, 32, 33, 34, 63, 64, 65, 66, 127, 128, 129 })
        {
            for (int at = 0; at + 2 <= length; at++)
            {
                char[] chars = new string('.', length).ToCharArray();
                chars[at] = 'a';
                chars[at + 1] = 'b';
                string text = new(chars);

                MatchCollector.OneShot(set, text).Should().Equal(
                    [new PatternMatch(0, at, 2), new PatternMatch(1, at + 1, 1)], because: $"length {length}, at {at}");
            }
        }
    }

    [Fact]
    public void EnumerateMatches_EmptyText_FindsNothing()
    {
        PatternSet set = new PatternSetBuilder().Add("a").Build();

        set.TryFindFirst(ReadOnlySpan<char>.Empty, out _).Should().BeFalse();
        MatchCollector.OneShot(set, string.Empty).Should().BeEmpty();
        MatchCollector.Streamed(set, string.Empty, []).Should().BeEmpty();
    }

    [Fact]
    public void Build_NoPatterns_NeverMatches()
    {
        PatternSet set = new PatternSetBuilder().Build();

        set.Count.Should().Be(0);
        set.MaxPatternLength.Should().Be(0);
        set.TryFindFirst("anything at all", out _).Should().BeFalse();
        MatchCollector.OneShot(set, new string('a', 10_000)).Should().BeEmpty();
        MatchCollector.Streamed(set, "anything", [3]).Should().BeEmpty();
    }

    [Fact]
    public void EnumerateMatches_HugeInput_FindsMatchesAtBothEnds()
    {
        // 16 M characters (32 MB) with a match at the very start and at the very end.
        var chars = new char[16 * 1024 * 1024];
        Array.Fill(chars, 'z');
        "needle".CopyTo(chars);
        "needle".CopyTo(chars.AsSpan(chars.Length - 6));
        PatternSet set = new PatternSetBuilder().Add("needle").Add("haystack").Build();

        var matches = new List<PatternMatch>();
        foreach (PatternMatch match in set.EnumerateMatches(chars))
        {
            matches.Add(match);
        }

        matches.Should().Equal(new PatternMatch(0, 0, 6), new PatternMatch(0, chars.Length - 6, 6));
    }

    [Fact]
    public void Build_HundredThousandPatterns_MatchesAndChoosesTheCompactEngine()
    {
        var random = new Random(7);
        var patterns = new HashSet<string>(StringComparer.Ordinal);
        while (patterns.Count < 100_000)
        {
            patterns.Add(new string(Enumerable.Range(0, random.Next(6, 16)).Select(_ => (char)('a' + random.Next(26))).ToArray()));
        }

        string[] list = [.. patterns];
        PatternSet set = new PatternSetBuilder { MatchKind = MatchKind.LeftmostFirst }.AddRange(list).Build();
        string text = "some text before " + list[12_345] + " and after " + list[99_999] + ".";

        set.Count.Should().Be(100_000);
        set.Engine.Should().Be(ScanEngine.Nfa);
        MatchCollector.OneShot(set, text).Should().Equal(NaiveOracle.Leftmost(list, text, MatchKind.LeftmostFirst, ignoreCase: false));
        set.MemoryUsage.Should().BeGreaterThan(0);
    }

    [Fact]
    public void EnumerateMatches_CaseInsensitive_MatchesEveryCaseVariant()
    {
        PatternSet set = new PatternSetBuilder { IgnoreCase = true }.Add("Ignore Previous").Add("straße").Build();

        MatchCollector.OneShot(set, "please IGNORE previous; STRASSE is not STRAßE").Should().Equal(
            new PatternMatch(0, 7, 15), new PatternMatch(1, 39, 6));
    }

    [Fact]
    public void EnumerateMatches_DuplicatePatterns_KeepTheirIds()
    {
        PatternSet overlapping = new PatternSetBuilder { MatchKind = MatchKind.Overlapping, IgnoreCase = true }.Add("abc").Add("ABC").Add("abc").Build();
        PatternSet leftmost = new PatternSetBuilder { MatchKind = MatchKind.LeftmostLongest, IgnoreCase = true }.Add("abc").Add("ABC").Build();

        MatchCollector.OneShot(overlapping, "xAbC").Select(m => m.PatternId).Should().Equal(0, 1, 2);
        MatchCollector.OneShot(leftmost, "xAbC").Should().Equal(new PatternMatch(0, 1, 3));
    }

    [Theory]
    [InlineData(MatchKind.LeftmostFirst, 0, 2)]
    [InlineData(MatchKind.LeftmostLongest, 1, 4)]
    public void EnumerateMatches_LeftmostKinds_ChooseByOrderOrLength(MatchKind kind, int expectedId, int expectedLength)
    {
        PatternSet set = new PatternSetBuilder { MatchKind = kind }.Add("ab").Add("abcd").Build();

        set.TryFindFirst("xxabcd", out PatternMatch match).Should().BeTrue();

        match.Should().Be(new PatternMatch(expectedId, 2, expectedLength));
    }

    [Fact]
    public void Builder_EmptyPattern_IsRejectedWithItsPosition()
    {
        var builder = new PatternSetBuilder().Add("a");

        Action act = () => builder.Add(string.Empty);

        act.Should().Throw<ArgumentException>().WithParameterName("pattern").WithMessage("Pattern 1 is empty*");
    }

    [Fact]
    public void Builder_NullPatternOrUndefinedKind_Throws()
    {
        var builder = new PatternSetBuilder();

        builder.Invoking(b => b.Add(null!)).Should().Throw<ArgumentNullException>();
        builder.Invoking(b => b.MatchKind = (MatchKind)9).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void GetPattern_IdOutOfRange_Throws()
    {
        PatternSet set = new PatternSetBuilder().Add("a").Build();

        set.GetPattern(0).Should().Be("a");
        set.Invoking(s => s.GetPattern(1)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Build_SmallSet_ChoosesTheDenseEngine()
    {
        PatternSet set = new PatternSetBuilder().Add("alpha").Add("beta").Build();

        set.Engine.Should().Be(ScanEngine.Dfa);
    }

    [Fact]
    public void Build_ThousandsOfDistinctCharacters_StaysCompactAndCorrect()
    {
        // CJK patterns: a class per distinct character, so a full table per state would be large.
        var random = new Random(11);
        string[] patterns = [.. Enumerable.Range(0, 5000).Select(_ => new string(Enumerable.Range(0, random.Next(2, 6)).Select(_ => (char)random.Next(0x4E00, 0x4E00 + 6000)).ToArray()))];
        string text = string.Concat(patterns[17], "，", patterns[4321], new string((char)0x4E01, 50), patterns[999]);
        PatternSet chosen = new PatternSetBuilder { MatchKind = MatchKind.LeftmostFirst }.AddRange(patterns).Build();

        List<PatternMatch> expected = NaiveOracle.Leftmost(patterns, text, MatchKind.LeftmostFirst, ignoreCase: false);

        chosen.Engine.Should().Be(ScanEngine.Nfa);
        chosen.MemoryUsage.Should().BeLessThan(64L * 1024 * 1024);
        MatchCollector.OneShot(chosen, text).Should().Equal(expected);
    }

    [Fact]
    public void Build_DfaTableOverFourMegabytes_UsesSixteenBitTransitionsWithTheSameMatches()
    {
        // 5,000 patterns of 8 characters over 40 letters: about 35,000 states x 41 classes x 4 bytes, under 65,536 states.
        var random = new Random(77);
        const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN";
        string Word(int length) => new([.. Enumerable.Range(0, length).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);
        List<string> patterns = [.. Enumerable.Range(0, 5_000).Select(_ => Word(8))];
        string text = string.Concat(Enumerable.Range(0, 400).Select(i => i % 3 == 0 ? patterns[random.Next(patterns.Count)] : Word(5)));

        PatternSet narrow = new PatternSetBuilder().AddRange(patterns).Build();
        PatternSet wide = new PatternSetBuilder().AddRange(patterns).ForceNarrowDfa(false).Build();

        narrow.Engine.Should().Be(ScanEngine.Dfa);
        narrow.UsesNarrowDfa.Should().BeTrue();
        wide.UsesNarrowDfa.Should().BeFalse();
        MatchCollector.OneShot(narrow, text).Should().Equal(MatchCollector.OneShot(wide, text)).And.NotBeEmpty();
    }

    [Theory]
    [InlineData(MatchKind.Overlapping, false)]
    [InlineData(MatchKind.Overlapping, true)]
    [InlineData(MatchKind.LeftmostFirst, false)]
    [InlineData(MatchKind.LeftmostFirst, true)]
    [InlineData(MatchKind.LeftmostLongest, false)]
    [InlineData(MatchKind.LeftmostLongest, true)]
    public void EnumerateMatches_SixteenBitTableOfSeveralPlanes_MatchesTheOracle(MatchKind kind, bool ignoreCase)
    {
        // Over 16 classes, the 16-bit table is cut into planes of 16 columns: common characters in the first, the rest after.
        var random = new Random(HashCode.Combine(kind, ignoreCase));
        const string Alphabet = "etaoin shrdluETAOINSHRDLU0123456789.,;:!?-_'\"()[]{}éÉßſK\u212AЖж";
        string Word(int length) => new([.. Enumerable.Range(0, length).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);
        List<string> patterns = [.. Enumerable.Range(0, 300).Select(_ => Word(random.Next(1, 6)))];
        string text = string.Concat(Enumerable.Range(0, 300).Select(i => i % 4 == 0 ? patterns[random.Next(patterns.Count)] : Word(3)));

        PatternSet set = new PatternSetBuilder { MatchKind = kind, IgnoreCase = ignoreCase }.AddRange(patterns).ForceEngine(ScanEngine.Dfa).ForceNarrowDfa(true).Build();
        List<PatternMatch> expected = NaiveOracle.Matches(patterns, text, kind, ignoreCase);

        set.UsesNarrowDfa.Should().BeTrue();
        expected.Should().NotBeEmpty();
        MatchCollector.OneShot(set, text).Should().Equal(expected);
        MatchCollector.Streamed(set, text, MatchCollector.RandomCuts(random, text.Length)).Should().Equal(expected);
    }
}
