namespace SafetyLayers.Matching.Tests;

public class StreamingTests
{
    [Theory]
    [InlineData(MatchKind.Overlapping)]
    [InlineData(MatchKind.LeftmostFirst)]
    [InlineData(MatchKind.LeftmostLongest)]
    public void EnumerateMatches_EveryCutPoint_EqualsOneShot(MatchKind kind)
    {
        string[] patterns = ["ignore previous", "ignore", "previous instructions", "\uD83D\uDE00x", "ous in"];
        PatternSet set = new PatternSetBuilder { MatchKind = kind, IgnoreCase = true }.AddRange(patterns).Build();
        string text = "Please IGNORE previous instructions \uD83D\uDE00x and ignore the rest.";
        List<PatternMatch> expected = NaiveOracle.Matches(patterns, text, kind, ignoreCase: true);

        for (int a = 0; a <= text.Length; a++)
        {
            for (int b = a; b <= text.Length; b += 3)
            {
                MatchCollector.Streamed(set, text, [a, b]).Should().Equal(expected, because: $"cuts {a}, {b}");
            }
        }
    }

    [Fact]
    public void EnumerateMatches_MatchSpanningChunks_HasNegativeIndexRelativeToCurrentChunk()
    {
        PatternSet set = new PatternSetBuilder().Add("secret").Build();
        var state = default(StreamingScanState);
        var seen = new List<PatternMatch>();

        foreach (string chunk in new[] { "my se", "cr", "et!" })
        {
            foreach (PatternMatch match in set.EnumerateMatches(ref state, chunk, isFinalBlock: false))
            {
                seen.Add(match);
            }
        }

        seen.Should().Equal(new PatternMatch(0, -4, 6)); // "se" began 4 characters before the chunk "et!"
        state.Consumed.Should().Be(10);
    }

    [Fact]
    public void EnumerateMatches_LeafMatch_IsReportedWithoutWaitingForMoreText()
    {
        PatternSet set = new PatternSetBuilder { MatchKind = MatchKind.LeftmostFirst }.Add("api_key=").Build();
        var state = default(StreamingScanState);
        int count = 0;

        foreach (PatternMatch match in set.EnumerateMatches(ref state, "x api_key=", isFinalBlock: false))
        {
            match.Should().Be(new PatternMatch(0, 2, 8));
            count++;
        }

        count.Should().Be(1);
    }

    [Theory]
    [InlineData(ScanEngine.Dfa, false)]
    [InlineData(ScanEngine.Dfa, true)]
    [InlineData(ScanEngine.Nfa, false)]
    public void PendingLength_MidCandidate_CoversThePossibleMatchStart(ScanEngine engine, bool narrow)
    {
        PatternSet set = new PatternSetBuilder().Add("password").ForceEngine(engine).ForceNarrowDfa(narrow).Build();
        var state = default(StreamingScanState);

        foreach (PatternMatch _ in set.EnumerateMatches(ref state, "my passw", isFinalBlock: false))
        {
        }

        state.PendingLength.Should().Be(5);
        foreach (PatternMatch _ in set.EnumerateMatches(ref state, "ay", isFinalBlock: false))
        {
        }

        state.PendingLength.Should().Be(0);
    }

    [Fact]
    public void EnumerateMatches_FinalBlock_ResetsStateForReuse()
    {
        PatternSet set = new PatternSetBuilder { MatchKind = MatchKind.LeftmostLongest }.Add("ab").Add("abcd").Build();
        var state = default(StreamingScanState);

        for (int round = 0; round < 2; round++)
        {
            var matches = new List<PatternMatch>();
            foreach (PatternMatch match in set.EnumerateMatches(ref state, "xab", isFinalBlock: false))
            {
                matches.Add(match);
            }

            foreach (PatternMatch match in set.EnumerateMatches(ref state, "c", isFinalBlock: true))
            {
                matches.Add(match);
            }

            matches.Should().Equal([new PatternMatch(0, -2, 2)], because: $"round {round}");
            state.Consumed.Should().Be(0);
        }
    }

    [Fact]
    public void EnumerateMatches_StateOfAnotherSetMidStream_Throws()
    {
        PatternSet first = new PatternSetBuilder().Add("abc").Build();
        PatternSet second = new PatternSetBuilder().Add("xyz").Build();
        var state = default(StreamingScanState);
        foreach (PatternMatch _ in first.EnumerateMatches(ref state, "ab", isFinalBlock: false))
        {
        }

        bool threw = false;
        try
        {
            second.EnumerateMatches(ref state, "c", isFinalBlock: false);
        }
        catch (InvalidOperationException)
        {
            threw = true;
        }

        threw.Should().BeTrue();
    }
}
