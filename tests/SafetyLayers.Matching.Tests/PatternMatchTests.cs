namespace SafetyLayers.Matching.Tests;

public class PatternMatchTests
{
    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(3, 4, 7)]
    [InlineData(-2, 5, 3)]
    public void End_IndexAndLength_IsIndexPlusLength(int index, int length, int expected)
    {
        new PatternMatch(7, index, length).End.Should().Be(expected);
    }
}
