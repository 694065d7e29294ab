namespace SafetyLayers.Cli.Tests.Commands;

public class VerifyAuditCommandTests
{
    [Fact]
    public async Task Run_IntactLog_ExitsZero()
    {
        string dir = CreateDirectory();
        string path = Path.Combine(dir, "audit.jsonl");
        await WriteLogAsync(path, 5);

        (int exitCode, string output, _) = Run("verify-audit", path, "--require-checkpoint");

        exitCode.Should().Be(0);
        output.Should().Contain("OK").And.Contain("5 events");
    }

    [Fact]
    public async Task Run_ChangedLine_ExitsOneAndNamesTheLine()
    {
        string dir = CreateDirectory();
        string path = Path.Combine(dir, "audit.jsonl");
        await WriteLogAsync(path, 5);
        string[] lines = await File.ReadAllLinesAsync(path, TestContext.Current.CancellationToken);
        lines[3] = lines[3].Replace("\"Block\"", "\"Allow\"", StringComparison.Ordinal);
        await File.WriteAllTextAsync(path, string.Join('\n', lines) + "\n", TestContext.Current.CancellationToken);

        (int exitCode, string output, string error) = Run("verify-audit", path);

        exitCode.Should().Be(1);
        output.Should().Contain("line 4");
        error.Should().Contain("line 4");
    }

    [Fact]
    public async Task Run_TruncatedLog_FailsOnlyWithRequireCheckpoint()
    {
        string dir = CreateDirectory();
        string path = Path.Combine(dir, "audit.jsonl");
        await WriteLogAsync(path, 5);
        string[] lines = await File.ReadAllLinesAsync(path, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(path, string.Join('\n', lines[..^1]) + "\n", TestContext.Current.CancellationToken);

        Run("verify-audit", path).ExitCode.Should().Be(0);
        (int exitCode, string output, _) = Run("verify-audit", path, "--require-checkpoint");
        exitCode.Should().Be(1);
        output.Should().Contain($"line {lines.Length}");
    }

    [Fact]
    public async Task Run_TornTail_WarnsAndExitsZero()
    {
        string dir = CreateDirectory();
        string path = Path.Combine(dir, "audit.jsonl");
        await WriteLogAsync(path, 3);
        await File.AppendAllTextAsync(path, "{\"seq\":5,\"t\":\"e\",\"ev\":{", TestContext.Current.CancellationToken);

        (int exitCode, _, string error) = Run("verify-audit", path);

        exitCode.Should().Be(0);
        error.Should().Contain("warning").And.Contain("torn").And.Contain("line 6");
    }

    [Fact]
    public void Run_MissingFile_ExitsOne()
    {
        Run("verify-audit", Path.Combine(CreateDirectory(), "nope.jsonl")).ExitCode.Should().Be(1);
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exitCode = CliApplication.Run(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    private static string CreateDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "sl-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static async Task WriteLogAsync(string path, int events)
    {
        await using var sink = new JsonLinesAuditSink(path);
        for (int i = 0; i < events; i++)
        {
            await sink.WriteAsync(
                new AuditEvent { Kind = AuditEventKind.InputVerdict, Layer = "input", Action = GuardrailAction.Block, RuleIds = ["SL-PI-0001"] },
                TestContext.Current.CancellationToken);
        }
    }
}
