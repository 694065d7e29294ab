using System.Globalization;
using SafetyLayers;

// Usage: SafetyLayers.AuditCrashHelper <path> <writers>
// Writes events from <writers> tasks as fast as it can; every event's requestId is "<writer>-<index>". After each FlushAsync
// it prints "durable <writer> <index>": every event of that writer up to that index is reported durably written.
// Every 7th event carries a large excerpt, so a kill often lands in the middle of a long write.
string path = args[0];
int writers = int.Parse(args[1], CultureInfo.InvariantCulture);
var sink = new JsonLinesAuditSink(new JsonLinesAuditSinkOptions { Path = path, QueueCapacity = 1024 });
string large = new('x', 16 * 1024);
var stdout = Console.Out;
var gate = new object();
await sink.FlushAsync();   // The file exists and holds its open line before the parent may kill us.
Console.WriteLine("ready");
await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
{
    for (long i = 0; ; i++)
    {
        await sink.WriteAsync(new AuditEvent
        {
            Kind = AuditEventKind.OutputVerdict,
            Timestamp = DateTimeOffset.UtcNow,
            RequestId = string.Create(CultureInfo.InvariantCulture, $"{w}-{i}"),
            Layer = "output",
            Action = GuardrailAction.Redact,
            RuleIds = ["SL-PII-0001"],
            Excerpt = i % 7 == 0 ? large : "card [REDACTED] ok",
        });
        if (i % 50 == 49)
        {
            await sink.FlushAsync();
            lock (gate)
            {
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"durable {w} {i}"));
                stdout.Flush();
            }
        }
    }
})));
