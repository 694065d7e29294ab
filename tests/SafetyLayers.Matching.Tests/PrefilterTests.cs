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
}
