namespace SafetyLayers.Tests.Audit;

/// <summary>A fresh temporary directory per test, deleted afterwards.</summary>
internal sealed class AuditTestFiles : IDisposable
{
    public AuditTestFiles()
    {
        Directory = Path.Combine(Path.GetTempPath(), "sl-audit-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    public static AuditEvent Event(int i, string? requestId = null) => new()
    {
        Kind = AuditEventKind.InputVerdict,
        Timestamp = new DateTimeOffset(2026, 11, 28, 20, 0, 0, TimeSpan.Zero).AddMilliseconds(i),
        RequestId = requestId ?? ("r" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Layer = "input",
        Action = GuardrailAction.Flag,
        Category = "prompt_injection",
        RuleIds = ["SL-PI-0012"],
        Spans = [new AuditSpan(3, 7, "SL-PI-0012")],
        LatencyMilliseconds = 0.25,
        PolicyVersion = "1.0.0",
    };

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
