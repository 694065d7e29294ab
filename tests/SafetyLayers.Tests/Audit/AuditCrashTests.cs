using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

#pragma warning disable xUnit1051 // Waits here are bounded by the sink itself; the test token adds nothing.

namespace SafetyLayers.Tests.Audit;

/// <summary>Kills a child process that writes audit events with SIGKILL at random moments and checks what survives.</summary>
public class AuditCrashTests
{
    private const int Repetitions = 20;
    private const int Writers = 2;

    [Fact]
    public async Task Sigkill_AtRandomMoments_LeavesWholeLinesAVerifiableChainAndEveryDurableEvent()
    {
        using var files = new AuditTestFiles();
        string path = files.PathOf("audit.jsonl");
        string helper = HelperPath();
        var random = new Random(20261128);
        long expectedRepairs = 0;

        for (int run = 0; run < Repetitions; run++)
        {
            // Act: start the writer, let it run for a random time, then SIGKILL it.
            var durable = new long[Writers];
            Array.Fill(durable, -1);
            using var child = Process.Start(new ProcessStartInfo("dotnet", [helper, path, Writers.ToString(CultureInfo.InvariantCulture)])
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            })!;
            var ready = new TaskCompletionSource();
            var reader = Task.Run(async () =>
            {
                while (await child.StandardOutput.ReadLineAsync() is { } line)
                {
                    if (line == "ready")
                    {
                        ready.TrySetResult();
                        continue;
                    }

                    string[] parts = line.Split(' ');
                    int w = int.Parse(parts[1], CultureInfo.InvariantCulture);
                    durable[w] = Math.Max(durable[w], long.Parse(parts[2], CultureInfo.InvariantCulture));
                }
            });
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await Task.Delay(random.Next(5, 400));
            child.Kill();   // SIGKILL on Unix: no finally blocks, no flush, no dispose.
            await child.WaitForExitAsync();
            await reader;

            // Assert: whole lines except maybe a torn last one, the chain verifies, nothing reported durable is missing.
            AuditVerificationResult result = AuditLogVerifier.Verify(path);
            result.IsIntact.Should().BeTrue($"run {run}: {result.Error}");
            result.EndsWithCheckpoint.Should().BeFalse();
            if (result.HasTornTail)
            {
                expectedRepairs++;
            }

            var written = new long[Writers];
            Array.Fill(written, -1);
            foreach (string line in ReadWholeLines(path))
            {
                using JsonDocument doc = JsonDocument.Parse(line);
                if (doc.RootElement.GetProperty("t").GetString() != "e")
                {
                    continue;
                }

                string[] id = doc.RootElement.GetProperty("ev").GetProperty("requestId").GetString()!.Split('-');
                int w = int.Parse(id[0], CultureInfo.InvariantCulture);
                long i = long.Parse(id[1], CultureInfo.InvariantCulture);
                if (i == 0)
                {
                    written[w] = -1;   // A new run of the helper starts its indexes again.
                }

                i.Should().Be(written[w] + 1, $"run {run}: events of one writer are in order, without gaps");
                written[w] = i;
            }

            for (int w = 0; w < Writers; w++)
            {
                written[w].Should().BeGreaterThanOrEqualTo(durable[w], $"run {run}: writer {w} was told event {durable[w]} was durable");
            }
        }

        // The next open repairs the last torn tail; a clean close then verifies with a checkpoint required.
        await using (var sink = new JsonLinesAuditSink(path))
        {
            await sink.WriteAsync(AuditTestFiles.Event(0));
        }

        AuditVerificationResult final = AuditLogVerifier.Verify([path], new AuditVerificationOptions { RequireCheckpoint = true });
        final.IsIntact.Should().BeTrue(final.Error);
        final.HasTornTail.Should().BeFalse();
        int repairs = File.ReadLines(path).Count(l => l.Contains("\"t\":\"o\"", StringComparison.Ordinal) && !l.Contains("\"repairedBytes\":0,", StringComparison.Ordinal));
        TestContext.Current.TestOutputHelper?.WriteLine($"{Repetitions} kills, {expectedRepairs} left a torn tail, {repairs} repairs recorded");
        if (expectedRepairs > 0)
        {
            repairs.Should().BePositive("every torn tail is repaired by the next open, which records the bytes it removed");
        }
    }

    private static string[] ReadWholeLines(string path)
    {
        string text = File.ReadAllText(path);
        int end = text.LastIndexOf('\n');
        return end < 0 ? [] : text[..end].Split('\n');
    }

    private static string HelperPath()
    {
        // The helper is built next to this assembly's project: .../tests/<Project>/bin/<Configuration>/<tfm>/.
        string own = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        string tfm = Path.GetFileName(own);
        string configuration = Path.GetFileName(Path.GetDirectoryName(own)!);
        string tests = Path.GetFullPath(Path.Combine(own, "..", "..", "..", ".."));
        string helper = Path.Combine(tests, "SafetyLayers.AuditCrashHelper", "bin", configuration, tfm, "SafetyLayers.AuditCrashHelper.dll");
        File.Exists(helper).Should().BeTrue($"the crash helper is built with the tests ({helper})");
        return helper;
    }
}
