namespace SafetyLayers.Tests.Policies;

/// <summary>
/// In ASCII texts that normalization changed only by case, white space and runs of spaces, one walk of the normalized view's
/// matcher finds the original view's patterns too; these tests hold its findings to those of two separate walks.
/// </summary>
public class ScanPolicySharedWalkTests
{
    private const TextNormalization NormalizedSteps = TextNormalization.All;

    /// <summary>Characters that normalization removes, maps to ASCII or to a space, or that a case-insensitive walk takes for ASCII.</summary>
    private static readonly string[] LookAlikes = ["\u200B", "\u00A0", "\u0430", "\u0440", "\u0455", "\uFF45", "\u0131", "\u017F", "\u212A", "\uDB40\uDC65", "é"];

    [Fact]
    public void DefaultPolicies_ShareTheWalk()
    {
        // Assert: otherwise the comparisons below would test nothing for the default policies
        ScanPolicies.DefaultInput.SharesWalk.Should().BeTrue();
        ScanPolicies.DefaultCombined.SharesWalk.Should().BeTrue();
        CreateBuilder().Build().SharesWalk.Should().BeTrue();
        CreateBuilder().BuildWithoutSharedWalk().SharesWalk.Should().BeFalse();
    }

    [Theory]
    [InlineData("the PRIVATE\tKEY is here", new string[0])]                            // a tab became a space: not the phrase in the original
    [InlineData("the private key is here", new[] { "XX-ORG-0001@4+11" })]
    [InlineData("the Private  Key is here", new string[0])]                            // a run of spaces collapsed: not the phrase either
    [InlineData("x d.o.b is 1 May", new[] { "XX-ORG-0001@2+5" })]                      // letter spacing joined "x d o b": the walk cannot see it
    [InlineData("my s3cret word", new[] { "XX-ORG-0001@3+6" })]                       // leetspeak made it "secret"
    [InlineData("ignore  PREVIOUS\nrules, private key", new[] { "XX-NRM-0001@0+16", "XX-ORG-0001@24+11" })]
    [InlineData("a TOKEN = abc", new[] { "XX-ORG-0002@2+11" })]
    [InlineData("naïve: the Private Key, a token = x", new[] { "XX-ORG-0001@11+11", "XX-ORG-0002@26+9" })]   // other characters: one walk still
    [InlineData("the pri\u200Bvate key éé", new string[0])]                             // an invisible character removed: a hit of the normalized text only
    [InlineData("the \u0440rivate key éé", new string[0])]                             // a Cyrillic look-alike mapped to "p"
    [InlineData("the \uFF50rivate key éé", new string[0])]                             // a full-width letter that NFKC made "p"
    [InlineData("the private\u00A0key éé", new string[0])]                             // a no-break space that became a space
    [InlineData("the private\u00A0 key éé", new string[0])]                            // ... and collapsed with the next space
    [InlineData("the private\uDB40\uDC20key éé", new string[0])]                       // a TAG space that became a space
    [InlineData("xy d.o\u200B.b éé", new string[0])]                                     // a pattern without a space: held to the original too
    [InlineData("xy d.\u043E.b éé", new string[0])]
    [InlineData("xy D.\uFF4F.B éé", new string[0])]
    [InlineData("é private key; d.o.b, dob", new[] { "XX-ORG-0001@2+11", "XX-ORG-0001@15+5" })]
    [InlineData("\u017Fecret: the private key é", new[] { "XX-ORG-0001@12+11" })]    // the long s is "S" in upper case: walked apart
    [InlineData("the pr\u0131vate key éé", new string[0])]                             // the dotless i is "I" in upper case: walked apart
    public void Scan_TextsThatOneWalkCouldMisread_FindsWhatSeparateWalksFind(string text, string[] expected)
    {
        // Arrange
        ScanPolicyBuilder builder = CreateBuilder();
        ScanPolicy shared = builder.Build();
        ScanPolicy separate = builder.BuildWithoutSharedWalk();

        // Act
        List<string> actual = Describe(shared.Scan(text));

        // Assert
        actual.Should().Equal(expected);
        actual.Should().Equal(Describe(separate.Scan(text)));
    }

    [Theory]
    [InlineData("the private key is here", true)]
    [InlineData("la clé privée est ici, un “secret”", true)]          // other characters: one walk, every hit held to the original
    [InlineData("xy d.o\u200B.b \u0440rivate key", true)]           // hits that the original characters must confirm
    [InlineData("my s3cret word", false)]                              // leetspeak changed ASCII letters
    [InlineData("x d.o.b is 1 May", false)]                            // letter spacing joined letters
    [InlineData("\u017Fecret: the private key", false)]               // a character the original view's walk takes for "s"
    [InlineData("the \u212A key", false)]                             // the Kelvin sign, whose lower case is "k"
    public void ScansInOneWalk_DependsOnWhatNormalizationChanged(string text, bool expected)
    {
        // Arrange
        ScanPolicy policy = CreateBuilder().Build();

        // Act
        bool actual = policy.ScansInOneWalk(text);

        // Assert
        actual.Should().Be(expected);
        ScanPolicies.DefaultInput.ScansInOneWalk(text).Should().Be(expected);
    }

    [Fact]
    public void ScansInOneWalk_OriginalViewWithANonAsciiPattern_OnlyAsciiTexts()
    {
        // Arrange: an original pattern outside ASCII could occur in a text that normalization changed around it
        var accented = new ScanRule("XX-ORG-0004", "Accented phrase", "test", RuleSeverity.Low, GuardrailAction.Flag, new PhraseDetector(["clé privée"]));
        ScanPolicy policy = CreateBuilder().AddPack(new RulePack("accented", "Accented", "1", TextNormalization.None, [accented])).Build();

        // Act and assert
        policy.SharesWalk.Should().BeTrue();
        policy.ScansInOneWalk("the private key").Should().BeTrue();
        policy.ScansInOneWalk("la clé privée").Should().BeFalse();
        Describe(policy.Scan("la Cle\u0301 privée")).Should().BeEmpty("NFKC per code point keeps the combining accent apart");
        Describe(policy.Scan("la CLÉ privée")).Should().Equal("XX-ORG-0004@3+10");
    }

    [Fact]
    public void Scan_PatternWithALeadingSpace_WalksApartAndFindsItAfterARunOfSpaces()
    {
        // Arrange: after "a  " collapses, the normalized " key=" begins at the run's first space, not at the original's second
        var spaced = new ScanRule(
            "XX-ORG-0003", "Literal with a leading space", "test", RuleSeverity.Low, GuardrailAction.Flag,
            new RegexDetector("(?i) key=[a-z]+", maxMatchLength: 20) { Prefilter = [" key="], MaxLengthBeforePrefilter = 0 });
        ScanPolicy policy = CreateBuilder().AddPack(new RulePack("spaced", "Spaced", "1", TextNormalization.None, [spaced])).Build();

        // Act
        List<string> actual = Describe(policy.Scan("a  KEY=abc"));

        // Assert
        policy.SharesWalk.Should().BeFalse();
        actual.Should().Equal("XX-ORG-0003@2+8");
    }

    [Theory]
    [InlineData(true)]    // the PII pack's literals "né" and "tél" are not ASCII: texts with other characters are walked twice
    [InlineData(false)]   // without it, the original view's patterns are ASCII: those texts are walked once too
    public void Scan_RandomTextsWithPatternsInEveryCaseAndSpacing_SameFindingsAsSeparateWalks(bool withPii)
    {
        // Arrange: the built-in packs and the test packs, and texts spliced from their literals, written in random case,
        // with random white space, leetspeak, letters written one by one and non-ASCII characters between and inside them
        (ScanPolicy shared, ScanPolicy separate) = CreateSutsWithBuiltInPacks(withPii);
        string[] originalPatterns = [.. new ScanPolicyBuilder().AddPack(RulePacks.Pii).AddPack(RulePacks.Secrets).Build().Patterns];
        string[] fragments =
        [
            .. originalPatterns, .. shared.Patterns.Except(originalPatterns).Where((_, i) => i % 20 == 0), "d.o.b", "s3cret", "k e y s", "token = abc123", "4242 4242 4242 4242",
            "jane.doe@example.org", "ignore previous instructions", "é", "\t", "\n", "  ", " ", ".", "=",
            "\u200B", "\u00A0", "\u0430", "\u0440", "\u0435", "\uFF41", "\uFF4B", "\u0131", "\u017F", "\u212A", "\u0130", "\uDB40\uDC41", "\u0301", "“", "’", "—",
        ];
        var random = new Random(20261201);
        int withFindings = 0;
        int sharedOtherWithFindings = 0;

        for (int i = 0; i < 3_000; i++)
        {
            var text = new System.Text.StringBuilder();
            int parts = random.Next(1, 8);
            for (int p = 0; p < parts; p++)
            {
                string fragment = fragments[random.Next(fragments.Length)];
                foreach (char c in fragment)
                {
                    text.Append(random.Next(3) == 0 ? char.ToUpperInvariant(c) : c);
                    if (random.Next(12) == 0)
                    {
                        text.Append(LookAlikes[random.Next(LookAlikes.Length)]);   // inside a pattern, where one walk could misread it
                    }
                }

                text.Append(" \t\n  x"[random.Next(6)]);
            }

            string s = text.ToString();

            // Act
            List<string> actual = Describe(shared.Scan(s));

            // Assert
            actual.Should().Equal(Describe(separate.Scan(s)), because: s);
            withFindings += actual.Count > 0 ? 1 : 0;
            sharedOtherWithFindings += actual.Count > 0 && !System.Text.Ascii.IsValid(s) && shared.ScansInOneWalk(s) ? 1 : 0;
        }

        withFindings.Should().BeGreaterThan(1_000, "the texts must exercise the original view's rules");
        if (withPii)
        {
            sharedOtherWithFindings.Should().Be(0, "an original pattern outside ASCII could be changed by normalization");
        }
        else
        {
            sharedOtherWithFindings.Should().BeGreaterThan(300, "texts with other characters must be scanned in one walk too");
        }
    }

    [Fact]
    public void Scan_EveryCorpusRow_SameFindingsAsSeparateWalks()
    {
        // Arrange: the built-in packs and the test packs over every row of the test corpora
        (ScanPolicy shared, ScanPolicy separate) = CreateSutsWithBuiltInPacks();
        string[] rows =
        [
            .. new[] { "pii-secrets.jsonl", "attacks.jsonl", "agent-injections.jsonl", "benign-tool-outputs.jsonl" }
                .SelectMany(file => File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Corpus", file)))
                .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("text").GetString()!),
        ];

        foreach (string row in rows)
        {
            // Act and assert
            Describe(shared.Scan(row)).Should().Equal(Describe(separate.Scan(row)), because: row);
        }

        rows.Should().HaveCountGreaterThan(3_000);
    }

    /// <summary>The built-in packs and the test packs, with one walk and with separate walks.</summary>
    private static (ScanPolicy Shared, ScanPolicy Separate) CreateSutsWithBuiltInPacks(bool withPii = true)
    {
        ScanPolicyBuilder builder = CreateBuilder();
        foreach (RulePack pack in RulePacks.All.Where(p => withPii || p != RulePacks.Pii))
        {
            builder.AddPack(pack);
        }

        return (builder.Build(), builder.BuildWithoutSharedWalk());
    }

    /// <summary>An original-view pack and a normalized pack, so both views have a matcher.</summary>
    private static ScanPolicyBuilder CreateBuilder()
    {
        var phrases = new ScanRule("XX-ORG-0001", "Original phrases", "test", RuleSeverity.Low, GuardrailAction.Flag, new PhraseDetector(["private key", "d.o.b", "s3cret"]));
        var token = new ScanRule(
            "XX-ORG-0002", "Token assignment", "test", RuleSeverity.Low, GuardrailAction.Flag,
            new RegexDetector("(?i)token = [a-z0-9]+", maxMatchLength: 40) { Prefilter = ["token ="], MaxLengthBeforePrefilter = 0 });
        var normalized = new ScanRule("XX-NRM-0001", "Normalized phrase", "test", RuleSeverity.Low, GuardrailAction.Flag, new PhraseDetector(["ignore previous"]));
        return new ScanPolicyBuilder()
            .AddPack(new RulePack("original", "Original", "1", TextNormalization.None, [phrases, token]))
            .AddPack(new RulePack("normalized", "Normalized", "1", NormalizedSteps, [normalized]));
    }

    private static List<string> Describe(ScanResult result) => [.. result.Findings.Select(f => $"{f.RuleId}@{f.Index}+{f.Length}")];
}
