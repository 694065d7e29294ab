using System.Text;

namespace SafetyLayers.Tests.Policies;

public class RulePackLoaderTests
{
    private const string ValidRule = """
        { "id": "ACME-PII-0001", "title": "Employee id", "category": "pii_employee_id", "label": "EMPLOYEE_ID",
          "severity": "medium", "action": "redact", "references": ["https://example.com/ids"],
          "regex": "\\bEMP-[0-9]{6}\\b", "prefilter": ["EMP-"], "maxLength": 10,
          "tests": { "positive": ["id EMP-123456"], "negative": ["EMP-12"] } }
        """;

    [Fact]
    public void Load_ValidPack_ReadsRulesAndRunsTheirVectors()
    {
        // Act
        RulePack pack = Load(Pack(ValidRule));

        // Assert
        pack.Id.Should().Be("ACME");
        pack.Rules.Should().ContainSingle().Which.Placeholder.Should().Be("[REDACTED:EMPLOYEE_ID]");
        new ScanPolicyBuilder().AddPack(pack).Build().Scan("EMP-654321").Findings.Should().ContainSingle();
    }

    [Theory]
    [InlineData("\"colour\": \"red\",", "ACME-PII-0001", "colour")]
    [InlineData("\"builtin\": \"leetspeak\",", "ACME-PII-0001", "phrases|regex|builtin")]
    [InlineData("\"maxLengthBeforePrefilter\": 11,", "ACME-PII-0001", "maxLengthBeforePrefilter")]
    [InlineData("\"maxLengthBeforePrefilter\": \"4\",", "ACME-PII-0001", "maxLengthBeforePrefilter")]
    [InlineData("\"minPrefilterCharacters\": 6,", "ACME-PII-0001", "minPrefilterCharacters")]   // without prefilterCharacters
    [InlineData("\"prefilterCharacters\": \"0123456789\", \"minPrefilterCharacters\": 0,", "ACME-PII-0001", "minPrefilterCharacters")]
    [InlineData("\"prefilterCharacters\": \"0123456789\", \"minPrefilterCharacters\": 11,", "ACME-PII-0001", "minPrefilterCharacters")]
    [InlineData("\"maxPrefilterGap\": 1,", "ACME-PII-0001", "maxPrefilterGap")]   // without prefilterCharacters
    [InlineData("\"startsAtWordBoundary\": \"yes\",", "ACME-PII-0001", "startsAtWordBoundary")]
    [InlineData("\"ignoreCase\": 1,", "ACME-PII-0001", "ignoreCase")]
    [InlineData("\"prefilterCharacters\": \"0123456789\", \"maxPrefilterGap\": -1,", "ACME-PII-0001", "maxPrefilterGap")]
    [InlineData("\"prefilterCharacters\": \"0123456789\", \"maxPrefilterGap\": 11,", "ACME-PII-0001", "maxPrefilterGap")]
    public void Load_BadRuleField_FailsNamingFileRuleAndField(string extra, string ruleId, string field)
    {
        // Arrange
        string rule = ValidRule.Replace("\"title\"", extra + " \"title\"", StringComparison.Ordinal);

        // Act
        Action act = () => Load(Pack(rule));

        // Assert
        act.Should().Throw<RulePackException>()
            .Where(e => e.FileName == "acme.json" && e.RuleId == ruleId && e.Field == field)
            .WithMessage("acme.json: rule ACME-PII-0001: field '*");
    }

    [Fact]
    public void Load_PrefilterCharacterFields_ReadIntoTheDetector()
    {
        // Arrange
        string rule = ValidRule.Replace("\"title\"", "\"prefilterCharacters\": \"0123456789\", \"minPrefilterCharacters\": 6, \"maxPrefilterGap\": 0, \"title\"", StringComparison.Ordinal);

        // Act
        RulePack pack = Load(Pack(rule));

        // Assert
        RegexDetector detector = pack.Rules.Should().ContainSingle().Which.Detector.Should().BeOfType<RegexDetector>().Subject;
        detector.MinPrefilterCharacters.Should().Be(6);
        detector.MaxPrefilterGap.Should().Be(0);
        detector.StartsAtWordBoundary.Should().BeFalse();
    }

    [Fact]
    public void Load_StartsAtWordBoundary_ReadIntoTheDetector()
    {
        // Arrange
        string rule = ValidRule.Replace("\"title\"", "\"startsAtWordBoundary\": true, \"title\"", StringComparison.Ordinal);

        // Act
        RulePack pack = Load(Pack(rule));

        // Assert
        pack.Rules.Should().ContainSingle().Which.Detector.Should().BeOfType<RegexDetector>().Which.StartsAtWordBoundary.Should().BeTrue();
    }

    [Fact]
    public void Load_InvalidRegex_FailsNamingTheRegexField()
    {
        // Arrange
        string rule = ValidRule.Replace("\\\\bEMP-[0-9]{6}\\\\b", "EMP-[0-9", StringComparison.Ordinal);

        // Act
        Action act = () => Load(Pack(rule));

        // Assert
        act.Should().Throw<RulePackException>().Where(e => e.RuleId == "ACME-PII-0001" && e.Field == "regex")
            .WithMessage("*invalid regex*");
    }

    [Fact]
    public void Load_DuplicateId_FailsNamingTheId()
    {
        // Act
        Action act = () => Load(Pack(ValidRule + "," + ValidRule));

        // Assert
        act.Should().Throw<RulePackException>().Where(e => e.RuleId == "ACME-PII-0001" && e.Field == "id").WithMessage("*more than once*");
    }

    [Fact]
    public void Load_FailingPositiveVector_FailsNamingTheVector()
    {
        // Arrange
        string rule = ValidRule.Replace("\"id EMP-123456\"", "\"id EMP-123456\", \"no id here\"", StringComparison.Ordinal);

        // Act
        Action act = () => Load(Pack(rule));

        // Assert
        act.Should().Throw<RulePackException>().Where(e => e.RuleId == "ACME-PII-0001" && e.Field == "tests.positive[1]");
    }

    [Fact]
    public void Load_FailingNegativeVector_FailsNamingTheVector()
    {
        // Arrange
        string rule = ValidRule.Replace("\"EMP-12\"", "\"EMP-999999\"", StringComparison.Ordinal);

        // Act
        Action act = () => Load(Pack(rule));

        // Assert
        act.Should().Throw<RulePackException>().Where(e => e.Field == "tests.negative[0]");
    }

    [Fact]
    public void Load_UnknownPackField_FailsNamingTheField()
    {
        // Act
        Action act = () => Load(Pack(ValidRule).Replace("\"name\"", "\"owner\": \"me\", \"name\"", StringComparison.Ordinal));

        // Assert
        act.Should().Throw<RulePackException>().Where(e => e.RuleId == null && e.Field == "owner");
    }

    [Fact]
    public void Load_UnsupportedSchemaVersion_FailsNamingTheField()
    {
        // Act
        Action act = () => Load(Pack(ValidRule).Replace("\"schemaVersion\": 1", "\"schemaVersion\": 2", StringComparison.Ordinal));

        // Assert
        act.Should().Throw<RulePackException>().Where(e => e.Field == "schemaVersion");
    }

    [Fact]
    public void LoadFile_PackOnDisk_NamesTheFileInErrors()
    {
        // Arrange
        string path = Path.Combine(Path.GetTempPath(), $"slayers-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, Pack(ValidRule.Replace("\"medium\"", "\"severe\"", StringComparison.Ordinal)));
        try
        {
            // Act
            Action act = () => RulePack.LoadFile(path);

            // Assert
            act.Should().Throw<RulePackException>().Where(e => e.FileName == path && e.Field == "severity");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Pack(string rules) => $$"""
        { "schemaVersion": 1, "id": "ACME", "name": "Acme ids", "version": "1.0.0", "normalization": "none", "rules": [ {{rules}} ] }
        """;

    private static RulePack Load(string json)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return RulePack.Load(stream, "acme.json");
    }
}
