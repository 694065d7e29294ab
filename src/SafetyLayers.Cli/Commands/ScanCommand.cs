using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace SafetyLayers.Cli.Commands;

/// <summary>The <c>scan [FILE|-]</c> command: prints the findings of a policy on one text.</summary>
internal static class ScanCommand
{
    /// <summary>The exit code when the verdict is <see cref="GuardrailAction.Block"/>.</summary>
    public const int BlockedExitCode = 1;

    /// <summary>The exit code when the input or the policy cannot be read.</summary>
    public const int ErrorExitCode = 2;

    public static Command Create()
    {
        var file = new Argument<string>("FILE")
        {
            Description = "The text file to scan, or - for standard input.",
            DefaultValueFactory = _ => "-",
        };
        var policy = new Option<string?>("--policy") { Description = "A rule-pack JSON file; by default the default input and output policies together." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var command = new Command("scan", "Scan a text and print the findings (rule id, category, span, action). Exits with 1 when the verdict is Block.")
        {
            file, policy, json,
        };
        command.SetAction(parse => Run(
            parse.GetValue(file) ?? "-", parse.GetValue(policy), parse.GetValue(json),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string file, string? policyPath, bool json, TextWriter output, TextWriter error)
    {
        string text;
        ScanPolicy policy;
        try
        {
            text = file == "-" ? Console.In.ReadToEnd() : File.ReadAllText(file);
            policy = PolicyOption.Resolve(policyPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or RulePackException)
        {
            error.WriteLine($"error: {ex.Message}");
            return ErrorExitCode;
        }

        ScanResult result = policy.Scan(text);
        if (json)
        {
            WriteJson(result, output);
        }
        else
        {
            WriteTable(result, output);
        }

        return result.Verdict == GuardrailAction.Block ? BlockedExitCode : 0;
    }

    private static void WriteTable(ScanResult result, TextWriter output)
    {
        if (!result.HasFindings)
        {
            output.WriteLine("No findings. Verdict: Allow");
            return;
        }

        const string Format = "{0,-14} {1,-32} {2,-16} {3}";
        output.WriteLine(string.Format(CultureInfo.InvariantCulture, Format, "RULE", "CATEGORY", "SPAN", "ACTION"));
        foreach (ScanFinding finding in result.Findings)
        {
            output.WriteLine(string.Format(CultureInfo.InvariantCulture, Format,
                finding.RuleId, finding.Category, $"{finding.Index}..{finding.End}", finding.Action));
        }

        output.WriteLine($"Verdict: {result.Verdict}");
    }

    private static void WriteJson(ScanResult result, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("verdict", result.Verdict.ToString());
            writer.WriteStartArray("findings");
            foreach (ScanFinding finding in result.Findings)
            {
                writer.WriteStartObject();
                writer.WriteString("rule_id", finding.RuleId);
                writer.WriteString("category", finding.Category);
                writer.WriteNumber("start", finding.Index);
                writer.WriteNumber("length", finding.Length);
                writer.WriteString("action", finding.Action.ToString());
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
