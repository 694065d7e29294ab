using System.Buffers;
using System.Text.RegularExpressions;
using SafetyLayers.Scanning;

namespace SafetyLayers.Tests.Scanning;

public sealed class RegexFirstCharactersTests
{
    private const string Letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    [Theory]
    [InlineData(@"\b[A-Z]{2}[0-9]{2}(?:[ \-]?[A-Z0-9]{4}){2,7}", Letters)]
    [InlineData(@"(?:^|(?<=[^0-9]))1[3-9][0-9]{9}", "1")]                 // a group of zero-width alternatives, then a literal
    [InlineData(@"(?<![0-9][A-Za-z]{0,6})(?=\d)\+?[1-9]", null)]          // an optional first character
    [InlineData(@"(?<![0-9])\+[1-9][0-9]{6,14}", "+")]
    [InlineData(@"x{2}y", "x")]
    [InlineData(@"[a\-c]{1,3}", "-ac")]
    public void Find_PlainStart_CharactersOfTheFirstAtom(string pattern, string? expected)
    {
        // Act
        SearchValues<char>? characters = RegexFirstCharacters.Find(pattern, ignoreCase: false);

        // Assert
        Accepted(characters).Should().Be(expected is null ? null : new string([.. expected.Order()]));
    }

    [Theory]
    [InlineData(@"\b(?:ab|cd)")]        // a group
    [InlineData(@"\d{3}")]              // matches digits beyond ASCII
    [InlineData(@"[^0-9]x")]            // a negated class
    [InlineData(@"abc|[0-9]{4}")]       // the other alternative starts elsewhere
    [InlineData(@"x{0,3}y")]            // optional
    [InlineData(@"[A-Z]*y")]
    [InlineData(@"(?i)abc")]            // inline options
    [InlineData(@"[a-z-[aeiou]]x")]     // class subtraction
    [InlineData(@"éa")]                 // a non-ASCII first character
    public void Find_StartItCannotTell_Null(string pattern)
    {
        RegexFirstCharacters.Find(pattern, ignoreCase: false).Should().BeNull();
    }

    [Fact]
    public void Find_CaseInsensitivePattern_Null()
    {
        RegexFirstCharacters.Find("[A-Z]{2}", ignoreCase: true).Should().BeNull();
    }

    /// <summary>Every match of every built-in regex rule on its positive vectors begins with one of the characters found.</summary>
    [Fact]
    public void Find_BuiltInRules_EveryPositiveMatchBeginsWithOne()
    {
        int analysed = 0;
        foreach (RulePack pack in RulePacks.All)
        {
            foreach (ScanRule rule in pack.Rules)
            {
                if (rule.Detector is not RegexDetector detector || RegexFirstCharacters.Find(detector.Pattern, detector.IgnoreCase) is not { } characters)
                {
                    continue;
                }

                analysed++;
                Regex regex = RegexDetector.CreateRegex(detector.Pattern, detector.IgnoreCase);
                foreach (string example in rule.PositiveExamples)
                {
                    foreach (Match match in regex.Matches(example))
                    {
                        characters.Contains(example[match.Index]).Should().BeTrue($"{rule.Id}: the match \"{match.Value}\" of \"{example}\"");
                    }
                }
            }
        }

        analysed.Should().BeGreaterThan(2);
    }

    /// <summary>The characters up to U+017F the set holds, in order; <see langword="null"/> for no set.</summary>
    private static string? Accepted(SearchValues<char>? characters) =>
        characters is null ? null : new string([.. Enumerable.Range(0, 0x180).Select(c => (char)c).Where(characters.Contains)]);
}
