namespace SafetyLayers.Cli.Tests;

public class CliApplicationTests
{
    [Fact]
    public void Run_Help_PrintsUsageAndSucceeds()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exitCode = CliApplication.Run(["--help"], output, error);

        exitCode.Should().Be(0);
        output.ToString().Should().Contain("Usage:").And.Contain("safetylayers");
    }

    [Fact]
    public void Run_UnknownCommand_FailsWithAnError()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exitCode = CliApplication.Run(["no-such-command"], output, error);

        exitCode.Should().NotBe(0);
        error.ToString().Should().Contain("no-such-command");
    }
}
