namespace SafetyLayers.Tests.Issues;

public partial class IssuesTests
{
    /// <summary>
    /// SL-EV-0006 counted every word with a leetspeak digit, so a list of numbered names ("word0 word1 ... word499")
    /// counted as leetspeak and the default input policy blocked the whole list.
    /// </summary>
    [Fact]
    public void Scan_ListOfNumberedNames_NoLeetspeakFinding_4()
    {
        // Arrange
        ScanPolicy policy = ScanPolicies.DefaultInput;
        string text = string.Join(' ', Enumerable.Range(0, 500).Select(i => $"word{i}"));

        // Act
        ScanResult result = policy.Scan(text);

        // Assert
        result.Findings.Should().NotContain(f => f.RuleId == "SL-EV-0006");
    }

    [Fact]
    public void Scan_LeetspeakWithTrailingDigitsToo_StillFound_4()
    {
        // Arrange
        ScanPolicy policy = ScanPolicies.DefaultInput;

        // Act
        ScanResult result = policy.Scan("Wr173 4 50c141 m3di4 p05t 1nc171ng v101enc3");

        // Assert
        result.Findings.Should().Contain(f => f.RuleId == "SL-EV-0006");
    }
}
