using SafetyLayers.Scanning;

namespace SafetyLayers.Tests.Scanning;

public sealed class StartLiteralSearchTests
{
    private const string Kelvin = "\u212A";

    [Theory]
    [InlineData("a key here", 2)]
    [InlineData("ein schlüssel und key", 4)]           // the non-ASCII literal comes first
    [InlineData("key then schlüssel", 0)]
    [InlineData("schlüsse and ke", -1)]
    [InlineData("", -1)]
    public void IndexOfAny_AsciiAndOtherLiterals_FirstOccurrenceOfEither(string text, int expected)
    {
        // Arrange
        var sut = new StartLiteralSearch(["key", "schlüssel"], ignoreCase: false);

        // Act and assert
        sut.IndexOfAny(text).Should().Be(expected);
        sut.Longest.Should().Be(9);
    }

    [Fact]
    public void IndexOfAny_KelvinSignLiteral_FoundOnlyWhereTheTextHoldsIt()
    {
        // Arrange: a case-insensitive k also matches the Kelvin sign, so the start literals of "key" include "Key" with it
        var sut = new StartLiteralSearch(["key", Kelvin + "ey"], ignoreCase: true);

        // Act and assert
        sut.IndexOfAny("the " + Kelvin + "EY and the KEY").Should().Be(4);
        sut.IndexOfAny("the KEY").Should().Be(4);
        sut.IndexOfAny("no such word").Should().Be(-1);
    }

    [Fact]
    public void OrdinalIgnoreCase_NoNonAsciiCharacterEqualsAnAsciiOne()
    {
        // The search skips the non-ASCII literals in ASCII text: that holds only while ordinal case-insensitive comparison
        // never equates the two (the dotless i, the long s and the Kelvin sign upper- or lower-case to ASCII letters)
        var equal = new List<int>();
        Span<char> ascii = stackalloc char[1];
        Span<char> other = stackalloc char[1];
        for (int c = 0x80; c <= 0xFFFF; c++)
        {
            other[0] = (char)c;
            for (int a = 0; a < 0x80; a++)
            {
                ascii[0] = (char)a;
                if (MemoryExtensions.Equals(other, ascii, StringComparison.OrdinalIgnoreCase))
                {
                    equal.Add(c);
                }
            }
        }

        equal.Should().BeEmpty();
    }

    [Fact]
    public void IndexOfAny_RandomTexts_SameAsSearchingEveryLiteral()
    {
        // Arrange: texts over a small alphabet with non-ASCII letters, so literals of both kinds occur, overlap and nest; the
        // dotless i upper-cases to I, and the Kelvin sign lower-cases to k
        string[] literals = ["ab", "bé", "éa", "a\u212A", "kb", "ba", "\u0131b", "\u017Fa"];
        char[] alphabet = ['a', 'b', 'k', 'K', 'é', 'É', '\u212A', 'i', 'I', '\u0131', 's', 'S', '\u017F', ' '];
        var random = new Random(20261202);
        foreach (bool ignoreCase in new[] { false, true })
        {
            var sut = new StartLiteralSearch(literals, ignoreCase);
            StringComparison comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            for (int iteration = 0; iteration < 2000; iteration++)
            {
                string text = new([.. Enumerable.Range(0, random.Next(0, 24)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
                int expected = literals.Select(l => text.IndexOf(l, comparison)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();

                // Act and assert
                sut.IndexOfAny(text).Should().Be(expected, because: $"'{text}', ignoreCase {ignoreCase}");
            }
        }
    }
}
