#pragma warning disable xUnit1051 // Waits here are bounded by the sink itself; the test token adds nothing.

namespace SafetyLayers.Tests.Audit;

public class AuditLogVerifierTests
{
    private const int Events = 12;

    public static TheoryData<int> EveryLine => [.. Enumerable.Range(1, Events + 2)];

    [Theory, MemberData(nameof(EveryLine))]
    public async Task Verify_OneLineChanged_ReportsThatLine(int lineNumber)
    {
        string[] lines = await CreateLogAsync();
        string line = lines[lineNumber - 1];
        int at = line.IndexOf("\"t\":\"", StringComparison.Ordinal) + 5;
        lines[lineNumber - 1] = line[..at] + (line[at] == 'e' ? 'c' : 'e') + line[(at + 1)..];
        if (lineNumber > 1 && lineNumber <= Events + 1)
        {
            lines[lineNumber - 1] = line.Replace("SL-PI-0012\"]", "SL-PI-0013\"]", StringComparison.Ordinal);
        }

        AuditVerificationResult result = VerifyLines(lines);

        result.IsIntact.Should().BeFalse();
        result.FailedLine.Should().Be(lineNumber);
    }

    [Theory, MemberData(nameof(EveryLine))]
    public async Task Verify_OneLineDeleted_ReportsTheLineNowInItsPlace(int lineNumber)
    {
        List<string> lines = [.. await CreateLogAsync()];
        lines.RemoveAt(lineNumber - 1);

        AuditVerificationResult result = VerifyLines([.. lines], requireCheckpoint: true);

        result.IsIntact.Should().BeFalse();
        result.FailedLine.Should().Be(lineNumber);
    }

    [Theory, MemberData(nameof(EveryLine))]
    public async Task Verify_OneLineInserted_ReportsTheInsertedLine(int lineNumber)
    {
        List<string> lines = [.. await CreateLogAsync()];
        lines.Insert(lineNumber - 1, lines[lineNumber == 1 ? 1 : 0]);

        AuditVerificationResult result = VerifyLines([.. lines]);

        result.IsIntact.Should().BeFalse();
        result.FailedLine.Should().Be(lineNumber);
    }

    [Theory, MemberData(nameof(EveryLine))]
    public async Task Verify_LineSwappedWithNext_ReportsTheFirstSwappedLine(int lineNumber)
    {
        string[] lines = await CreateLogAsync();
        if (lineNumber == lines.Length)
        {
            return;
        }

        (lines[lineNumber - 1], lines[lineNumber]) = (lines[lineNumber], lines[lineNumber - 1]);

        AuditVerificationResult result = VerifyLines(lines);

        result.IsIntact.Should().BeFalse();
        result.FailedLine.Should().Be(lineNumber);
    }

    [Fact]
    public async Task Verify_LineWithCorrectHashButInvalidJson_IsReported()
    {
        string[] lines = await CreateLogAsync();
        byte[] previous = new byte[32];
        AuditLogFormat.TryParseHex(System.Text.Encoding.UTF8.GetBytes(lines[0][^66..^2]), previous);
        byte[] body = System.Text.Encoding.UTF8.GetBytes("{\"seq\":1,\"t\":\"e\",\"ev\":{\"v\":1");
        byte[] hash = new byte[32];
        using (System.Security.Cryptography.IncrementalHash sha = AuditLogFormat.CreateHash(null))
        {
            AuditLogFormat.HashLine(sha, previous, body, hash);
        }

        byte[] suffix = new byte[AuditLogFormat.SuffixLength];
        AuditLogFormat.WriteSuffix(hash, suffix);
        string forged = System.Text.Encoding.UTF8.GetString(body) + System.Text.Encoding.UTF8.GetString(suffix);

        AuditVerificationResult result = VerifyLines([lines[0], forged, .. lines[2..]]);

        result.IsIntact.Should().BeFalse();
        result.FailedLine.Should().Be(2);
        result.Error.Should().Contain("JSON");
    }

    [Fact]
    public async Task Verify_TruncatedAtALineBoundary_FailsOnlyWhenCheckpointRequired()
    {
        string[] lines = await CreateLogAsync();
        string[] truncated = lines[..^3];

        VerifyLines(truncated).IsIntact.Should().BeTrue();
        AuditVerificationResult required = VerifyLines(truncated, requireCheckpoint: true);
        required.IsIntact.Should().BeFalse();
        required.FailedLine.Should().Be(truncated.Length + 1);
        required.Error.Should().Contain("checkpoint");
    }

    [Fact]
    public async Task Verify_TornFinalLine_IsAWarningNotAFailure()
    {
        string[] lines = await CreateLogAsync();
        using var files = new AuditTestFiles();
        string path = files.PathOf("torn.jsonl");
        await File.WriteAllTextAsync(path, string.Join('\n', lines[..^1]) + "\n" + lines[^1][..20]);

        AuditVerificationResult result = AuditLogVerifier.Verify(path);

        result.IsIntact.Should().BeTrue(result.Error);
        result.HasTornTail.Should().BeTrue();
        result.Warnings.Should().ContainSingle().Which.Should().Contain($"line {lines.Length}").And.Contain("torn");
        AuditLogVerifier.Verify([path], new AuditVerificationOptions { RequireCheckpoint = true }).IsIntact.Should().BeFalse();
    }

    private static async Task<string[]> CreateLogAsync()
    {
        using var files = new AuditTestFiles();
        string path = files.PathOf("audit.jsonl");
        await using (var sink = new JsonLinesAuditSink(path))
        {
            for (int i = 0; i < Events; i++)
            {
                await sink.WriteAsync(AuditTestFiles.Event(i));
            }
        }

        string[] lines = await File.ReadAllLinesAsync(path);
        lines.Should().HaveCount(Events + 2);
        return lines;
    }

    private static AuditVerificationResult VerifyLines(string[] lines, bool requireCheckpoint = false)
    {
        using var files = new AuditTestFiles();
        string path = files.PathOf("tampered.jsonl");
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return AuditLogVerifier.Verify([path], new AuditVerificationOptions { RequireCheckpoint = requireCheckpoint });
    }
}
