namespace SafetyLayers.Matching.Tests;

public class ThreadSafetyTests
{
    [Fact]
    public void EnumerateMatches_OneSetManyThreads_EveryThreadSeesTheOracleResult()
    {
        string[] patterns = ["abc", "bcd", "cd", "a"];
        PatternSet set = new PatternSetBuilder { MatchKind = MatchKind.Overlapping }.AddRange(patterns).Build();
        string text = string.Concat(Enumerable.Repeat("xabcdy", 200));
        List<PatternMatch> expected = NaiveOracle.Overlapping(patterns, text, ignoreCase: false);
        int mismatches = 0;

        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            for (int round = 0; round < 20; round++)
            {
                if (!MatchCollector.OneShot(set, text).SequenceEqual(expected))
                {
                    Interlocked.Increment(ref mismatches);
                }
            }
        });

        mismatches.Should().Be(0);
    }
}
