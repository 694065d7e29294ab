using System.Text.RegularExpressions;
using SafetyLayers.Scanning;

namespace SafetyLayers.Tests.Scanning;

public sealed class RegexStartAnchorsTests
{
    private static string[] Literals(string pattern, bool ignoreCase = false) =>
        [.. RegexStartAnchors.Find(pattern, ignoreCase)!.Select(a => $"{a.Literal}+{a.Offset}{(a.WordStart ? "b" : "")}")];

    [Fact]
    public void Find_LiteralPrefix_AnchorAtMatchStart()
    {
        Literals(@"\bsk-[A-Za-z0-9]{20}\b").Should().Equal("sk-+0b");
        Literals(@"-----BEGIN[ A-Z]{0,30} PRIVATE KEY-----").Should().Equal("-----BEGIN+0");
    }

    [Fact]
    public void Find_BoundedPrefixBeforeLiteral_OffsetIsWidestPrefix()
    {
        Literals(@"\b[A-Za-z][A-Za-z0-9+.\-]{1,20}://[^\s]{1,64}").Should().Equal("://+21");
        Literals(@"(?:^|[^0-9])(?<value>\+[1-9][0-9]{6})").Should().Equal("++1");
    }

    [Fact]
    public void Find_AlternativesClassesAndLiteralGroups_Expanded()
    {
        Literals("(?:born|birth)[^0-9]{0,20}").Should().Equal("born+0", "birth+0");
        Literals(@"\bgh[pos]_[A-Za-z0-9]{36}").Should().Equal("ghp_+0b", "gho_+0b", "ghs_+0b");
        Literals(@"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10}").Should().Equal("sk_live_+0b", "sk_test_+0b", "rk_live_+0b", "rk_test_+0b");
        Literals(@"\bA{18,24}[A-Za-z0-9]{60}").Should().Equal("AAAAAAAAAAAAAAAA+0b");   // a repeated first character, cut at 16
    }

    [Theory]
    [InlineData(@"[A-Za-z0-9._%+\-]+@example")]      // unbounded before the literal
    [InlineData(@"(?:abc)?def")]                      // the literal sits in an optional group
    [InlineData(@"abc|[0-9]{4}")]                     // one alternative has no literal
    [InlineData(@"(?i)abc")]                          // inline options
    [InlineData(@"(?<x>[a-z])\k<x>abc")]              // a literal after a back-reference
    [InlineData(@"\b[0-9]{12,19}\b")]                 // no literal at all
    public void Find_UnprovableStart_NoAnchors(string pattern)
    {
        IReadOnlyList<StartAnchor>? anchors = RegexStartAnchors.Find(pattern, ignoreCase: false);

        anchors.Should().BeNull();
    }

    [Fact]
    public void Find_IgnoreCase_AddsKelvinSignVariantTheRegexMatches()
    {
        // Arrange
        Regex regex = RegexDetector.CreateRegex("key=[0-9]{4}", ignoreCase: true);

        // Act
        string[] literals = Literals("key=[0-9]{4}", ignoreCase: true);

        // Assert
        regex.IsMatch("\u212Aey=1234").Should().BeTrue("the regex folds KELVIN SIGN to k, which ToUpperInvariant does not");
        literals.Should().BeEquivalentTo("key=+0", "\u212Aey=+0");
    }

    [Fact]
    public void FindStartLiterals_CaseSensitivePattern_TakesLiteralsOfAnyScript()
    {
        // Act
        IReadOnlyList<string>? literals = RegexStartAnchors.FindStartLiterals(@"\b(?:show|reveal) (?:the )?prompt|(?:显示|告诉我)(?:你的|)提示|\bпокажи", ignoreCase: false);

        // Assert
        literals.Should().BeEquivalentTo("show ", "reveal ", "显示", "告诉我", "покажи");
    }

    [Theory]
    [InlineData(@"\b(?:show|reveal) the prompt|(?:显示|告诉我)提示", true)]   // case-insensitive: only literals the folding is known for
    [InlineData(@"\b[a-z]{1,3}://", false)]                                     // the literal lies after a bounded prefix
    [InlineData(@"abc|[0-9]{4}", false)]                                          // one alternative has no literal
    public void FindStartLiterals_NoLiteralEveryMatchBeginsWith_Null(string pattern, bool ignoreCase)
    {
        RegexStartAnchors.FindStartLiterals(pattern, ignoreCase).Should().BeNull();
    }

    /// <summary>Every match of every built-in regex rule on its positive vectors starts within the offset before one of its anchors.</summary>
    [Fact]
    public void Find_BuiltInRules_EveryPositiveMatchStartsAtAnAnchor()
    {
        foreach (RulePack pack in new[] { RulePacks.Pii, RulePacks.Secrets, RulePacks.Evasion })
        {
            foreach (ScanRule rule in pack.Rules)
            {
                if (rule.Detector is not RegexDetector detector || RegexStartAnchors.Find(detector.Pattern, detector.IgnoreCase) is not { } anchors)
                {
                    continue;
                }

                Regex regex = RegexDetector.CreateRegex(detector.Pattern, detector.IgnoreCase);
                foreach (string example in rule.PositiveExamples)
                {
                    foreach (Match match in regex.Matches(example))
                    {
                        bool anchored = anchors.Any(a =>
                        {
                            for (int at = match.Index; at <= Math.Min(match.Index + a.Offset, example.Length - a.Literal.Length); at++)
                            {
                                if (example.AsSpan(at).StartsWith(a.Literal, StringComparison.OrdinalIgnoreCase)
                                    && (!a.WordStart || at == 0 || !(char.IsLetterOrDigit(example[at - 1]) || example[at - 1] == '_')))
                                {
                                    return true;
                                }
                            }

                            return false;
                        });
                        anchored.Should().BeTrue($"{rule.Id}: the match \"{match.Value}\" of \"{example}\" must start at an anchor");
                    }
                }
            }
        }
    }

    [Fact]
    public void Holdback_DefaultOutputPolicy_ShortBoundSmallAndLongRulesAnchored()
    {
        StreamingHoldback holdback = ScanPolicies.DefaultOutput.Holdback;

        holdback.ShortBound.Should().BeLessThanOrEqualTo(256).And.BeLessThan(ScanPolicies.DefaultOutput.MaxMatchLength);
        RegexDetector pem = (RegexDetector)RulePacks.Secrets.Rules.Single(r => r.Id == "SL-SEC-0009").Detector;
        RegexStartAnchors.Find(pem.Pattern, pem.IgnoreCase)!.Select(a => a.Literal).Should().Equal("-----BEGIN");
        RegexDetector jwt = (RegexDetector)RulePacks.Secrets.Rules.Single(r => r.Id == "SL-SEC-0008").Detector;
        RegexStartAnchors.Find(jwt.Pattern, jwt.IgnoreCase)!.Select(a => a.Literal).Should().Equal("eyJ");
    }
}
