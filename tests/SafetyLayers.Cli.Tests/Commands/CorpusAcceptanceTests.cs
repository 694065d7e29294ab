using System.Text.Json;

namespace SafetyLayers.Cli.Tests.Commands;

/// <summary>The acceptance figures of issue 4 on the copied corpus (tests/SafetyLayers.Tests/Corpus), through <c>eval --json</c>.</summary>
public class CorpusAcceptanceTests
{
    private static readonly string[] s_requiredPiiCategories =
    [
        "pii_email_address", "pii_phone_number", "pii_ph_mobile_number", "pii_tr_phone_number", "pii_credit_card",
        "pii_iban_code", "pii_ip_address", "pii_us_ssn", "pii_uk_nino",
    ];

    [Fact]
    public void Eval_PiiSecretsCorpus_MeetsDetectionAndFalsePositiveTargets()
    {
        // Arrange
        string corpus = Path.Combine(AppContext.BaseDirectory, "Corpus", "pii-secrets.jsonl");
        var rows = File.ReadLines(corpus).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        string details = Path.Combine(Path.GetTempPath(), $"slayers-details-{Guid.NewGuid():N}.jsonl");
        using var output = new StringWriter();
        using var error = new StringWriter();

        // Act
        int exitCode = CliApplication.Run(["eval", "--corpus", corpus, "--json", "--details", details], output, error);
        var flagged = File.ReadLines(details).Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(r => r.GetProperty("id").GetString()!, r => r.GetProperty("verdict").GetString() != "Allow");

        // Assert
        exitCode.Should().Be(0);
        double Rate(Func<JsonElement, bool> select)
        {
            var ids = rows.Where(select).Select(r => r.GetProperty("id").GetString()!).ToList();
            return (double)ids.Count(id => flagged[id]) / ids.Count;
        }

        Rate(r => r.GetProperty("label").GetString() == "pii" && s_requiredPiiCategories.Contains(r.GetProperty("category").GetString()))
            .Should().BeGreaterThanOrEqualTo(0.95);
        Rate(r => r.GetProperty("label").GetString() == "secret").Should().BeGreaterThanOrEqualTo(0.95);
        Rate(r => r.GetProperty("label").GetString() == "clean").Should().BeLessThanOrEqualTo(0.05);
    }

    [Fact]
    public void Eval_AttacksCorpus_EveryEvasionCategoryAtLeastAsDetectedAsItsOrigins()
    {
        // Arrange
        string corpus = Path.Combine(AppContext.BaseDirectory, "Corpus", "attacks.jsonl");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var rows = File.ReadLines(corpus).Select(l => JsonDocument.Parse(l).RootElement).ToList();

        // Act
        int exitCode = CliApplication.Run(["eval", "--corpus", corpus, "--json"], output, error);

        // Assert
        exitCode.Should().Be(0);
        JsonElement categories = JsonDocument.Parse(output.ToString()).RootElement.GetProperty("categories");
        foreach (var evasion in rows.Where(r => r.GetProperty("category").GetString()!.StartsWith("evasion_", StringComparison.Ordinal))
                     .GroupBy(r => r.GetProperty("category").GetString()!))
        {
            // The rate the evasion rows would have if hiding changed nothing: the mean rate of their original categories.
            double baseline = evasion.Average(r => r.TryGetProperty("original_category", out JsonElement original) && original.ValueKind == JsonValueKind.String
                ? categories.GetProperty(original.GetString()!).GetProperty("rate").GetDouble()
                : 0.0);
            categories.GetProperty(evasion.Key).GetProperty("rate").GetDouble().Should().BeGreaterThanOrEqualTo(baseline, because: evasion.Key);
        }
    }
}
