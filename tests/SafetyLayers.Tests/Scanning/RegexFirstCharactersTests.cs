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
        var matches = PositiveMatchesOfAnalysedRules(d => RegexFirstCharacters.Find(d.Pattern, d.IgnoreCase)).ToList();

        matches.Select(m => m.RuleId).Distinct().Should().HaveCountGreaterThan(2);
        foreach ((string ruleId, string example, Match match, SearchValues<char> characters) in matches)
        {
            characters.Contains(example[match.Index]).Should().BeTrue($"{ruleId}: the match \"{match.Value}\" of \"{example}\"");
        }
    }

    [Theory]
    [InlineData(@"(?<![0-9][A-Za-z0-9]{0,6}[ \-])(?:^|(?<=[^0-9+.,]))(?:0 ?[1-9])", "+,.0123456789")]   // the longer look-behind is passed over
    [InlineData(@"(?<![0-9A-Za-z+])\+[1-9]", "+0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")]
    [InlineData(@"(?<!x)\b(?<![yz])abc", "xyz")]                     // every leading look-behind adds its characters
    [InlineData(@"(?:(?<=[^ab])|(?<=[^bc]))x", "b")]                 // what both alternatives rule out
    [InlineData("(?:^|(?<=[^\n0-9]))x", "0123456789")]               // after a line feed, ^ may match in multiline mode
    [InlineData(@"(?<!\|)(?:^|(?<=[^|]))x", "|")]                   // a bar inside a class is not an alternative
    [InlineData(@"(?<=[a-z])x", null)]                               // keeps characters rather than rules them out
    [InlineData(@"(?<![^0-9])x", null)]
    [InlineData(@"(?<!ab)x", null)]                                  // two characters
    [InlineData(@"(?<![0-9]+)x", null)]                              // a quantifier
    [InlineData(@"(?:^|\b)x", null)]                                // an alternative that rules out nothing
    [InlineData(@"(?:(?<!x)\b|^)y", null)]                          // an alternative of two items
    [InlineData(@"x(?<!y)", null)]                                   // not before the match
    [InlineData(@"(?i)(?<!x)a", null)]                               // inline options first
    [InlineData(@"(?<!x)a|b", null)]                                 // the other alternative has no look-behind
    public void FindExcludedBefore_LeadingLookBehinds_CharactersTheyRuleOut(string pattern, string? expected)
    {
        // Act
        SearchValues<char>? characters = RegexFirstCharacters.FindExcludedBefore(pattern, ignoreCase: false);

        // Assert
        Accepted(characters).Should().Be(expected is null ? null : new string([.. expected.Order()]));
    }

    [Fact]
    public void FindExcludedBefore_CaseInsensitivePattern_Null()
    {
        RegexFirstCharacters.FindExcludedBefore("(?<![a-z])x", ignoreCase: true).Should().BeNull();
    }

    /// <summary>No match of a built-in regex rule on its positive vectors comes right after a character found for it.</summary>
    [Fact]
    public void FindExcludedBefore_BuiltInRules_NoPositiveMatchAfterOne()
    {
        var matches = PositiveMatchesOfAnalysedRules(d => RegexFirstCharacters.FindExcludedBefore(d.Pattern, d.IgnoreCase)).ToList();

        matches.Select(m => m.RuleId).Distinct().Should().HaveCountGreaterThan(3);
        foreach ((string ruleId, string example, Match match, SearchValues<char> characters) in matches)
        {
            (match.Index > 0 && characters.Contains(example[match.Index - 1])).Should().BeFalse($"{ruleId}: the match \"{match.Value}\" of \"{example}\"");
        }
    }

    /// <summary>The matches, on its positive vectors, of every built-in regex rule for which <paramref name="analysis"/> finds characters.</summary>
    private static IEnumerable<(string RuleId, string Example, Match Match, SearchValues<char> Characters)> PositiveMatchesOfAnalysedRules(Func<RegexDetector, SearchValues<char>?> analysis) =>
        from pack in RulePacks.All
        from rule in pack.Rules
        let detector = rule.Detector as RegexDetector
        let characters = detector is null ? null : analysis(detector)
        where characters is not null
        let regex = RegexDetector.CreateRegex(detector!.Pattern, detector.IgnoreCase)
        from example in rule.PositiveExamples
        from match in regex.Matches(example)
        select (rule.Id, example, match, characters!);

    /// <summary>The characters up to U+017F the set holds, in order; <see langword="null"/> for no set.</summary>
    private static string? Accepted(SearchValues<char>? characters) =>
        characters is null ? null : new string([.. Enumerable.Range(0, 0x180).Select(c => (char)c).Where(characters.Contains)]);
}
