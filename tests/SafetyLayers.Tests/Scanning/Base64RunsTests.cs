using SafetyLayers.Scanning;

namespace SafetyLayers.Tests.Scanning;

public class Base64RunsTests
{
    private static readonly string[] s_pieces = ["a", "Z", "0", "9", "+", "/", "=", "-", "_", "word", "QUJD", " ", ".", "é", "\n", ":", "@", "`", "{", "["];

    [Fact]
    public void IndexOfRun_EveryOffset_VectorizedAgreesWithScalar()
    {
        var random = new Random(2026);
        for (int iteration = 0; iteration < 600; iteration++)
        {
            // Arrange: runs of every length around the minimum, split by single separators
            var builder = new System.Text.StringBuilder();
            int parts = random.Next(0, 60);
            for (int k = 0; k < parts; k++)
            {
                builder.Append(random.Next(3) == 0 ? new string('x', random.Next(1, 45)) : s_pieces[random.Next(s_pieces.Length)]);
            }

            string text = builder.ToString();
            int minLength = random.Next(17, 40);
            for (int offset = 0; offset <= text.Length; offset++)
            {
                // Act
                int actual = Base64Runs.IndexOfRun(text.AsSpan(offset), minLength);
                int expected = Base64Runs.IndexOfRunScalar(text.AsSpan(offset), minLength);

                // Assert
                actual.Should().Be(expected, because: $"offset {offset} of \"{text}\", minimum {minLength}");
            }
        }
    }

    [Theory]
    [InlineData("", -1)]
    [InlineData("short words only, nothing long here at all", -1)]
    [InlineData("key: aWdub3JlIGFsbCBwcmV2aW91cw== end", 5)]
    [InlineData("aWdub3JlIGFsbCBwcmV2aW91cw", 0)]
    [InlineData("x 0123456789abcdef0123", 2)]
    [InlineData("nineteen_characters and then twenty_characters_ok", 29)]
    public void IndexOfRun_Texts_StartOfTheFirstRunOfTwenty(string text, int expected)
    {
        // Act
        int actual = Base64Runs.IndexOfRun(text, 20);

        // Assert
        actual.Should().Be(expected);
    }

    [Fact]
    public void IndexOfRun_MinimumNotLongerThanAVector_Throws()
    {
        // Act
        Action act = () => Base64Runs.IndexOfRun("abc", 16);

        // Assert
        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
