using System.CommandLine;
using SafetyLayers.Cli.Commands;

namespace SafetyLayers.Cli;

/// <summary>The <c>safetylayers</c> command line: its commands and how they are run.</summary>
internal static class CliApplication
{
    /// <summary>Parses <paramref name="args"/>, runs the chosen command and returns the process exit code.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        RootCommand root = CreateRootCommand();
        ParseResult parse = root.Parse(args);
        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    internal static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("SafetyLayers: scan text with guardrail policies, evaluate policies on corpora, verify audit logs.")
        {
            HelpName = "safetylayers",
        };
        root.Subcommands.Add(ScanCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(VerifyAuditCommand.Create());
        return root;
    }
}
