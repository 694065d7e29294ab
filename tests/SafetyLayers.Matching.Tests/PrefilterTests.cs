using System.Buffers;
using SafetyLayers.Matching.Prefilters;

namespace SafetyLayers.Matching.Tests;

public class PrefilterTests
{
    [Fact]
    public void Build_FewStartCharacters_ChoosesSearchValues()
    {
        PatternSet set = new PatternSetBuilder().Add("sk-live-").Add("sk_test_").Add("AKIA").Build();

        set.Prefilter.Should().Be(PrefilterKind.StartCharacters);
    }

    [Fact]
    public void Build_SmallSetManyStartCharacters_ChoosesTheWidestAcceleratedTeddy()
    {
        PatternSet set = new PatternSetBuilder().AddRange(["alpha", "bravo", "charlie", "delta", "echo"]).Build();

        set.Prefilter.Should().Be(PrefilterFactory.WidestTeddy());
    }

    [Fact]
    public void Build_LargeSet_UsesNoPrefilter()
    {
        PatternSet set = new PatternSetBuilder().AddRange(Enumerable.Range(0, PrefilterFactory.MaxTeddyPatterns + 1).Select(i => $"{(char)('a' + (i % 26))}{i:D4}x")).Build();

        set.Prefilter.Should().Be(PrefilterKind.None);
    }

    [Theory]
    [InlineData(MatchKind.Overlapping, false)]
    [InlineData(MatchKind.LeftmostFirst, true)]
    [InlineData(MatchKind.LeftmostLongest, true)]
    public void Build_SetBetweenTheTwoTeddyLimits_UsesTeddyOnlyWhereCandidatesAreVerifiedDirectly(MatchKind kind, bool teddy)
    {
        // Arrange: more patterns than Teddy takes for overlapping scans (each candidate enters the automaton), fewer than for leftmost ones
        string[] patterns = [.. Enumerable.Range(0, PrefilterFactory.MaxTeddyPatternsOverlapping + 1).Select(i => $"{(char)('a' + (i % 26))}{i:D4}x")];

        // Act
        PatternSet set = new PatternSetBuilder { MatchKind = kind }.AddRange(patterns).Build();

        // Assert
        set.Prefilter.Should().Be(teddy ? PrefilterFactory.WidestTeddy() : PrefilterKind.None);
    }

    [Fact]
    public void Next_PrefilterThatBarelySkips_IsSwitchedOff()
    {
        var prefilter = new StartCharPrefilter(SearchValues.Create("a"), 1);
        string text = new('a', 1000);
        var stats = default(PrefilterStats);

        for (int i = 0; i < 40 && !stats.Off; i++)
        {
            stats.Next(prefilter, text, i).Should().Be(i);
        }

        stats.Off.Should().BeTrue();
    }

    [Fact]
    public void Next_PrefilterThatSkipsFar_StaysOn()
    {
        var prefilter = new StartCharPrefilter(SearchValues.Create("a"), 1);
        string text = string.Concat(Enumerable.Repeat(new string('z', 99) + "a", 100));
        var stats = default(PrefilterStats);

        int position = 0;
        for (int i = 0; i < 100; i++)
        {
            position = stats.Next(prefilter, text, position) + 1;
        }

        stats.Off.Should().BeFalse();
    }

    [Theory]
    [InlineData(PrefilterKind.TeddyScalar)]
    [InlineData(PrefilterKind.TeddyVector128)]
    [InlineData(PrefilterKind.TeddyVector256)]
    [InlineData(PrefilterKind.TeddyVector512)]
    public void Teddy_NonAsciiTextWithSharedLowBytes_NeverMissesAStart(PrefilterKind kind)
    {
        // 'š' (U+0161) shares its low byte with 'a' (0x61), 'Ł' (U+0141) with 'A': false positives allowed, misses not.
        PatternSet set = new PatternSetBuilder { IgnoreCase = true, MatchKind = MatchKind.Overlapping }.Add("abc").Add("šÿ").ForcePrefilter(kind).Build();
        string text = string.Concat(Enumerable.Repeat("šaŁbcxšŸ ABC ", 12));

        MatchCollector.OneShot(set, text).Should().Equal(NaiveOracle.Overlapping(["abc", "šÿ"], text, ignoreCase: true));
    }

    [Theory]
    [InlineData(MatchKind.LeftmostFirst, false)]
    [InlineData(MatchKind.LeftmostFirst, true)]
    [InlineData(MatchKind.LeftmostLongest, false)]
    [InlineData(MatchKind.LeftmostLongest, true)]
    public void Verifier_LaterFingerprintWithEarlierStart_ReportsTheLeftmostMatch(MatchKind kind, bool ignoreCase)
    {
        // "abcqzj" is fingerprinted at its rare "qz" (offset 3), "bc" at offset 0: the candidate for "bc" (1) comes before the
        // one for "abcqzj" (3), whose match starts earlier (0) and must win.
        string[] patterns = ["abcqzj", "bc", "cq"];
        foreach (PrefilterKind teddy in new[] { PrefilterKind.TeddyScalar, PrefilterKind.TeddyVector128, PrefilterKind.TeddyVector256, PrefilterKind.TeddyVector512 })
        {
            PatternSet set = new PatternSetBuilder { MatchKind = kind, IgnoreCase = ignoreCase }.AddRange(patterns).ForcePrefilter(teddy).ForceCandidateVerification(true).Build();
            string text = string.Concat(Enumerable.Repeat("xabcqzjx bcq ", 9));

            MatchCollector.OneShot(set, text).Should().Equal(NaiveOracle.Matches([.. patterns], text, kind, ignoreCase), teddy.ToString());
        }
    }

    [Fact]
    public void RarestWindow_CommonFirstWord_SkipsToTheRareCharacters()
    {
        CharacterFrequency.RarestWindow("the system to", 3, 16, ignoreCase: false).Should().Be(4); // "sys"
        CharacterFrequency.RarestWindow("the", 3, 16, ignoreCase: false).Should().Be(0);
    }

    [Fact]
    public void Find_AgainFromAnEarlierPosition_ReturnsTheCandidatesHandedOutBefore()
    {
        // The verifier looks a few candidates ahead of a match, then resumes at the match's end.
        var classes = Automaton.CharClassMap.Build(["ab"], ignoreCase: false);
        TeddyPrefilter teddy = TeddyPrefilter.Create(["ab"], classes, ignoreCase: false, PrefilterKind.TeddyVector128);
        string text = "ab ab ab ab ab ab ab ab ab ab ab ab ab ab";
        var cache = default(CandidateCache);

        teddy.Find(text, 0, ref cache).Should().Be(0);
        teddy.Find(text, 1, ref cache).Should().Be(3);
        teddy.Find(text, 4, ref cache).Should().Be(6);
        teddy.Find(text, 2, ref cache).Should().Be(3);
        teddy.Find(text, 30, ref cache).Should().Be(30);
        teddy.Find(text, 5, ref cache).Should().Be(6);
    }

    [Theory]
    [InlineData(PrefilterKind.TeddyScalar)]
    [InlineData(PrefilterKind.TeddyVector128)]
    [InlineData(PrefilterKind.TeddyVector256)]
    [InlineData(PrefilterKind.TeddyVector512)]
    public void Find_PatternsOfFourOrMoreCharacters_FingerprintsFourAndSkipsWhereOnlyThreeFit(PrefilterKind kind)
    {
        // A fourth fingerprinted character: "zqxj" and "vwkq" share no nibbles in their fourth character with the text's "zqxa"
        // or "vwka", so no position of it is a candidate, until the one real occurrence at the end.
        string[] patterns = ["zqxj", "vwkqp"];
        var classes = Automaton.CharClassMap.Build(patterns, ignoreCase: false);
        TeddyPrefilter teddy = TeddyPrefilter.Create(patterns, classes, ignoreCase: false, kind);
        string text = string.Concat(Enumerable.Repeat("zqxa vwka ", 30)) + "vwkqp";
        var cache = default(CandidateCache);

        teddy.FingerprintLength.Should().Be(4);
        teddy.Find(text, 0, ref cache).Should().Be(text.Length - 5);
    }
}
