using Microsoft.Extensions.AI;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using SafetyLayers.Testing;

namespace SafetyLayers.Tests.Monitoring;

public class DriftMonitorTests
{
    [Fact]
    public void RefusalRate_JumpsFrom2To10PercentOver500Requests_RaisesAnAlert()
    {
        // Arrange: 70 minutes at 2% (one request per second) fill the baseline and the current window.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero));
        var alerts = new List<DriftAlert>();
        var monitor = new DriftMonitor(new DriftMonitorOptions { OnAlert = alerts.Add }, time);
        var random = new Random(7);
        Simulate(monitor, time, random, 4_200, refusalRate: 0.02);
        alerts.Should().BeEmpty();

        // Act: the next 500 requests refuse at 10%.
        Simulate(monitor, time, random, 500, refusalRate: 0.10);
        time.Advance(TimeSpan.FromSeconds(10));
        monitor.Evaluate();

        // Assert
        DriftAlert alert = alerts.Should().ContainSingle().Subject;
        alert.Signal.Should().Be("refusal_rate");
        alert.BaselineRate.Should().BeApproximately(0.02, 0.01);
        alert.CurrentRate.Should().BeGreaterThan(0.05);
        alert.PValue.Should().BeLessThan(1e-6);
    }

    [Fact]
    public void RefusalRate_Steady2PercentFor10000Requests_RaisesNoAlert()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero));
        var alerts = new List<DriftAlert>();
        var monitor = new DriftMonitor(new DriftMonitorOptions { OnAlert = alerts.Add }, time);

        Simulate(monitor, time, new Random(11), 10_000, refusalRate: 0.02);
        monitor.Evaluate();

        alerts.Should().BeEmpty();
    }

    [Fact]
    public void ToolShare_NewToolSuddenlyCalled_RaisesToolShareAlertAndMetric()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero));
        using var metric = new MetricCollector<long>(null, "SafetyLayers", "safetylayers.drift.alerts");
        var alerts = new List<DriftAlert>();
        var monitor = new DriftMonitor(new DriftMonitorOptions { OnAlert = alerts.Add }, time);
        for (int i = 0; i < 4_200; i++)
        {
            monitor.RecordToolCall("search", denied: false);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        for (int i = 0; i < 300; i++)
        {
            monitor.RecordToolCall(i % 4 == 0 ? "send_email" : "search", denied: false);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        alerts.Select(a => a.Signal).Should().Contain("tool_share:send_email");
        metric.GetMeasurementSnapshot().Should().Contain(m => (string?)m.Tags["safetylayers.drift.signal"] == "tool_share:send_email");
    }

    [Fact]
    public async Task Alert_WithAuditClient_IsWrittenAsDriftAlertEvent()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero));
        var monitor = new DriftMonitor(new DriftMonitorOptions { MinimumBaselineTrials = 50, MinimumCurrentTrials = 50 }, time);
        var sink = new InMemoryAuditSink();
        var fake = new FakeChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"))) };
        using IChatClient client = new ChatClientBuilder(fake).UseAudit(o => { o.Sinks.Add(sink); o.DriftMonitor = monitor; }).Build();

        for (int i = 0; i < 4_200; i++)
        {
            await client.GetResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        for (int i = 0; i < 600; i++)
        {
            monitor.RecordRequest(refused: false, blocked: i % 3 == 0, redacted: false);
            time.Advance(TimeSpan.FromSeconds(1));
        }

        sink.Events.Should().Contain(e => e.Kind == AuditEventKind.DriftAlert && e.Drift != null && e.Drift.Signal == "block_rate");
    }

    [Theory]
    [InlineData(1, 10, 0.1, 0.6513215599)]
    [InlineData(5, 10, 0.5, 0.623046875)]
    [InlineData(0, 10, 0.5, 1.0)]
    [InlineData(11, 10, 0.5, 0.0)]
    [InlineData(30, 1000, 0.02, 0.0206965187)]
    public void BinomialUpperTail_MatchesExactValues(long k, long n, double p, double expected)
    {
        DriftMonitor.BinomialUpperTail(k, n, p).Should().BeApproximately(expected, 1e-5);
    }

    private static void Simulate(DriftMonitor monitor, FakeTimeProvider time, Random random, int requests, double refusalRate)
    {
        for (int i = 0; i < requests; i++)
        {
            monitor.RecordRequest(refused: random.NextDouble() < refusalRate, blocked: false, redacted: false);
            time.Advance(TimeSpan.FromSeconds(1));
        }
    }
}
