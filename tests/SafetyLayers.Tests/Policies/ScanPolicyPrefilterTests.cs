using System.Text.Json;

namespace SafetyLayers.Tests.Policies;

/// <summary>Regexes run only when and where their prefilters hit; these tests hold the findings to every regex run over the whole text.</summary>
public class ScanPolicyPrefilterTests
{
    private static readonly Lazy<string[]> s_corpusTexts = new(() =>
    [
        .. new[] { "pii-secrets.jsonl", "attacks.jsonl" }
            .SelectMany(file => File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Corpus", file)))
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("text").GetString()!),
    ]);

    [Fact]
    public void Scan_EveryCorpusRow_SameFindingsAsRegexesWithoutPrefilters()
    {
        // Arrange
        (ScanPolicy windowed, ScanPolicy whole) = CreateSuts();

        foreach (string text in s_corpusTexts.Value)
        {
            // Act
            ScanResult actual = windowed.Scan(text);
            ScanResult expected = whole.Scan(text);

            // Assert
            Describe(actual).Should().Equal(Describe(expected), because: text);
        }
    }

    [Fact]
    public void Scan_LongTextsOfManyRows_SameFindingsAsRegexesWithoutPrefilters()
    {
        // Arrange: rows joined with and without separators, so windows of one rule meet, merge and cut matches
        (ScanPolicy windowed, ScanPolicy whole) = CreateSuts();
        string[] rows = s_corpusTexts.Value;
        string[] joints = [" ", "\n", string.Empty, ". ", "=", "0"];
        var random = new Random(31337);
        for (int iteration = 0; iteration < 300; iteration++)
        {
            var builder = new System.Text.StringBuilder();
            int parts = random.Next(2, 30);
            for (int k = 0; k < parts; k++)
            {
                string row = rows[random.Next(rows.Length)];
                int start = random.Next(row.Length);
                builder.Append(row, start, Math.Min(row.Length - start, random.Next(1, 400))).Append(joints[random.Next(joints.Length)]);
            }

            string text = builder.ToString();

            // Act
            ScanResult actual = windowed.Scan(text);
            ScanResult expected = whole.Scan(text);

            // Assert
            Describe(actual).Should().Equal(Describe(expected), because: text);
        }
    }

    [Fact]
    public void Scan_MatchAcrossTheEndOfAWindow_FoundWhole()
    {
        // Arrange: the prefilter hit "key" is far from where the value ends; the match runs past the first window's end
        var detector = new RegexDetector(@"key=(?<value>[a-z]{1,200})\b", maxMatchLength: 20) { Prefilter = ["key"] };
        var rule = new ScanRule("XX-WIN-0001", "Test", "test", RuleSeverity.Low, GuardrailAction.Flag, detector);
        ScanPolicy policy = new ScanPolicyBuilder().AddPack(new RulePack("test", "Test", "1", TextNormalization.None, [rule])).Build();
        string value = new('a', 150);
        string text = "x key=" + value + " y";

        // Act
        ScanResult result = policy.Scan(text);

        // Assert
        result.Findings.Should().ContainSingle().Which.Length.Should().Be(value.Length);
    }

    private static (ScanPolicy Windowed, ScanPolicy Whole) CreateSuts()
    {
        var builder = new ScanPolicyBuilder();
        foreach (RulePack pack in RulePacks.All)
        {
            builder.AddPack(pack);
        }

        return (builder.Build(), builder.BuildWithoutPrefilters());
    }

    private static List<string> Describe(ScanResult result) => [.. result.Findings.Select(f => $"{f.RuleId}@{f.Index}+{f.Length}")];
}
