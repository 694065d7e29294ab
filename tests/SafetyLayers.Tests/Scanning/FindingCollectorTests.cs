using SafetyLayers.Scanning;

namespace SafetyLayers.Tests.Scanning;

public class FindingCollectorTests
{
    private static readonly ScanRule s_low = new("XX-FND-0001", "Low", "test", RuleSeverity.Low, GuardrailAction.Flag, new PhraseDetector(["a"]));
    private static readonly ScanRule s_high = new("XX-FND-0002", "High", "test", RuleSeverity.High, GuardrailAction.Block, new PhraseDetector(["b"]));

    [Fact]
    public void ToResult_DuplicatesAddedAnywhere_EachFindingOnceInOrder()
    {
        // Arrange: the same findings again and again, interleaved with others at the same place
        var findings = new FindingCollector();
        for (int round = 0; round < 3; round++)
        {
            findings.Add(s_high, 5, 2);
            findings.Add(s_low, 5, 2);
            findings.Add(s_low, 5, 4);
            findings.Add(s_low, 0, 1);
        }

        // Act
        ScanResult result = findings.ToResult();

        // Assert: by start, then longest first, then rule id
        result.Findings.Select(f => (f.RuleId, f.Index, f.Length)).Should().Equal(
            ("XX-FND-0001", 0, 1), ("XX-FND-0001", 5, 4), ("XX-FND-0001", 5, 2), ("XX-FND-0002", 5, 2));
        result.Verdict.Should().Be(GuardrailAction.Block);
    }

    [Fact]
    public void ToResult_ThousandsOfFindingsWithDuplicates_KeepsEachOnce()
    {
        // Arrange
        var findings = new FindingCollector();
        for (int i = 0; i < 20_000; i++)
        {
            findings.Add(s_low, i % 7_000, 3);
        }

        // Act
        ScanResult result = findings.ToResult();

        // Assert
        result.Findings.Should().HaveCount(7_000);
        result.Findings.Select(f => f.Index).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }

    [Fact]
    public void ToResult_NothingAdded_EmptyAllowResult()
    {
        // Act
        ScanResult result = new FindingCollector().ToResult();

        // Assert
        result.HasFindings.Should().BeFalse();
        result.Verdict.Should().Be(GuardrailAction.Allow);
    }
}
