using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace SafetyLayers.Cli.Commands;

/// <summary>The <c>eval --corpus FILE.jsonl</c> command: detection and false-positive rates of a policy on a labelled corpus.</summary>
/// <remarks>
/// Rows are JSON objects with <c>text</c>, <c>label</c> and <c>category</c>. Labels <c>attack</c>, <c>pii</c> and <c>secret</c>
/// are positives; <c>benign</c> and <c>clean</c> are negatives. A row is flagged when the verdict is anything but Allow.
/// </remarks>
internal static class EvalCommand
{
    private static readonly HashSet<string> s_positive = ["attack", "pii", "secret"];
    private static readonly HashSet<string> s_negative = ["benign", "clean"];

    public static Command Create()
    {
        var corpus = new Option<string>("--corpus") { Description = "The JSON Lines corpus (fields text, label, category).", Required = true };
        var policy = new Option<string?>("--policy") { Description = "A rule-pack JSON file; by default the default input and output policies together." };
        var json = new Option<bool>("--json") { Description = "Print exactly one JSON object (tpr, fpr, categories, latency_us) on standard output." };
        var details = new Option<string?>("--details") { Description = "Also write one JSON line per row (id, category, verdict, rule ids) to this file." };
        var command = new Command("eval", "Evaluate a policy on a labelled corpus: per-category counts and rates, TPR, FPR and scan latency.")
        {
            corpus, policy, json, details,
        };
        command.SetAction(parse => Run(
            parse.GetValue(corpus)!, parse.GetValue(policy), parse.GetValue(json), parse.GetValue(details),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(string corpusPath, string? policyPath, bool json, string? detailsPath, TextWriter output, TextWriter error)
    {
        List<Row> rows;
        ScanPolicy policy;
        try
        {
            rows = ReadCorpus(corpusPath);
            policy = PolicyOption.Resolve(policyPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or RulePackException or JsonException or FormatException)
        {
            error.WriteLine($"error: {ex.Message}");
            return ScanCommand.ErrorExitCode;
        }

        var categories = new SortedDictionary<string, (int Count, int Flagged)>(StringComparer.Ordinal);
        int positives = 0, negatives = 0, truePositives = 0, falsePositives = 0;
        double[] latencies = new double[rows.Count];
        using StreamWriter? detailWriter = detailsPath is null ? null : new StreamWriter(detailsPath);
        bool progress = rows.Count >= 500 && ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
        for (int i = 0; i < rows.Count; i++)
        {
            Row row = rows[i];
            long start = Stopwatch.GetTimestamp();
            ScanResult result = policy.Scan(row.Text);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            bool flagged = result.Verdict != GuardrailAction.Allow;

            (int count, int flaggedCount) = categories.GetValueOrDefault(row.Category);
            categories[row.Category] = (count + 1, flaggedCount + (flagged ? 1 : 0));
            if (s_positive.Contains(row.Label))
            {
                positives++;
                truePositives += flagged ? 1 : 0;
            }
            else if (s_negative.Contains(row.Label))
            {
                negatives++;
                falsePositives += flagged ? 1 : 0;
            }

            detailWriter?.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["id"] = row.Id, ["label"] = row.Label, ["category"] = row.Category, ["verdict"] = result.Verdict.ToString(),
                ["rules"] = result.Findings.Select(f => f.RuleId).Distinct().ToArray(),
            }));
            if (progress && (i % 100 == 0 || i == rows.Count - 1))
            {
                int percent = (i + 1) * 100 / rows.Count;
                error.Write($"\r[{new string('#', percent / 5),-20}] {percent,3}% {i + 1}/{rows.Count}");
            }
        }

        if (progress)
        {
            error.WriteLine();
        }

        Array.Sort(latencies);
        double tpr = positives == 0 ? 0 : (double)truePositives / positives;
        double fpr = negatives == 0 ? 0 : (double)falsePositives / negatives;
        double p50 = Percentile(latencies, 0.50);
        double p99 = Percentile(latencies, 0.99);
        if (json)
        {
            WriteJson(output, tpr, fpr, categories, p50, p99);
        }
        else
        {
            WriteTable(output, categories, positives, truePositives, negatives, falsePositives, tpr, fpr, p50, p99);
        }

        return 0;
    }

    private static void WriteJson(TextWriter output, double tpr, double fpr, SortedDictionary<string, (int Count, int Flagged)> categories, double p50, double p99)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteNumber("tpr", Math.Round(tpr, 4));
            writer.WriteNumber("fpr", Math.Round(fpr, 4));
            writer.WriteStartObject("categories");
            foreach ((string name, (int count, int flagged)) in categories)
            {
                writer.WriteStartObject(name);
                writer.WriteNumber("count", count);
                writer.WriteNumber("flagged", flagged);
                writer.WriteNumber("rate", Math.Round((double)flagged / count, 4));
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteStartObject("latency_us");
            writer.WriteNumber("p50", Math.Round(p50, 2));
            writer.WriteNumber("p99", Math.Round(p99, 2));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteTable(TextWriter output, SortedDictionary<string, (int Count, int Flagged)> categories,
        int positives, int truePositives, int negatives, int falsePositives, double tpr, double fpr, double p50, double p99)
    {
        const string Format = "{0,-48} {1,7} {2,8} {3,8}";
        output.WriteLine(string.Format(CultureInfo.InvariantCulture, Format, "CATEGORY", "COUNT", "FLAGGED", "RATE"));
        foreach ((string name, (int count, int flagged)) in categories)
        {
            output.WriteLine(string.Format(CultureInfo.InvariantCulture, Format, name, count, flagged, ((double)flagged / count).ToString("P1", CultureInfo.InvariantCulture)));
        }

        output.WriteLine();
        output.WriteLine(string.Format(CultureInfo.InvariantCulture, "TPR (detection rate): {0:P2} ({1}/{2} positives)", tpr, truePositives, positives));
        output.WriteLine(string.Format(CultureInfo.InvariantCulture, "FPR (false positives): {0:P2} ({1}/{2} negatives)", fpr, falsePositives, negatives));
        output.WriteLine(string.Format(CultureInfo.InvariantCulture, "Scan latency: p50 {0:F1} µs, p99 {1:F1} µs", p50, p99));
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static List<Row> ReadCorpus(string path)
    {
        var rows = new List<Row>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using JsonDocument document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            string Field(string name) =>
                root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
                    ? value.GetString()!
                    : throw new FormatException($"{path}:{lineNumber}: the row has no string field '{name}'.");
            string id = root.TryGetProperty("id", out JsonElement idElement) ? idElement.ToString() : lineNumber.ToString(CultureInfo.InvariantCulture);
            rows.Add(new Row(id, Field("text"), Field("label"), Field("category")));
        }

        return rows;
    }

    private sealed record Row(string Id, string Text, string Label, string Category);
}
