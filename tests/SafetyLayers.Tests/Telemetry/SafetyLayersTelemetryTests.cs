using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using SafetyLayers.Tests.Audit;

namespace SafetyLayers.Tests.Telemetry;

public class SafetyLayersTelemetryTests
{
    [Fact]
    public void ReportVerdict_RecordsVerdictCounterAndScanDurationByLayerActionCategory()
    {
        string category = "cat-" + Guid.NewGuid().ToString("N");
        using var verdicts = new MetricCollector<long>(null, "SafetyLayers", "safetylayers.guard.verdicts");
        using var durations = new MetricCollector<double>(null, "SafetyLayers", "safetylayers.guard.scan.duration");

        GuardrailAudit.ReportVerdict(AuditEventKind.InputVerdict, GuardrailAudit.InputLayer, GuardrailAction.Block, ["SL-1"], category,
            latency: TimeSpan.FromMilliseconds(2));

        CollectedMeasurement<long> verdict = verdicts.GetMeasurementSnapshot().Should()
            .ContainSingle(m => (string?)m.Tags["safetylayers.category"] == category).Subject;
        verdict.Value.Should().Be(1);
        verdict.Tags["safetylayers.layer"].Should().Be("input");
        verdict.Tags["safetylayers.action"].Should().Be("block");
        durations.GetMeasurementSnapshot().Should().Contain(m => m.Value == 0.002 && (string?)m.Tags["safetylayers.layer"] == "input");
    }

    [Fact]
    public void ReportToolDecision_CountsByToolNameAndAction()
    {
        string tool = "tool-" + Guid.NewGuid().ToString("N");
        using var decisions = new MetricCollector<long>(null, "SafetyLayers", "safetylayers.tool.decisions");

        GuardrailAudit.ReportToolDecision(tool, GuardrailAction.Block, ["SL-T-1"], "denied");

        decisions.GetMeasurementSnapshot().Should().ContainSingle(m => (string?)m.Tags["gen_ai.tool.name"] == tool)
            .Which.Tags["safetylayers.action"].Should().Be("block");
    }

    [Fact]
    public void RecordHoldback_RecordsHistogram()
    {
        using var holdback = new MetricCollector<int>(null, "SafetyLayers", "safetylayers.output.holdback.length");

        GuardrailAudit.RecordHoldback(31_337);

        holdback.GetMeasurementSnapshot().Should().Contain(m => m.Value == 31_337);
    }

    [Fact]
    public void StartEvaluation_WithListener_CreatesGuardSpanTaggedWithTheVerdictButNoContent()
    {
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "SafetyLayers",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (stopped) { stopped.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        string marker = "SL-SPAN-" + Guid.NewGuid().ToString("N");

        using (Activity? activity = GuardrailAudit.StartEvaluation(GuardrailAudit.OutputLayer))
        {
            GuardrailAudit.ReportVerdict(AuditEventKind.OutputVerdict, GuardrailAudit.OutputLayer, GuardrailAction.Redact, [marker], "pii",
                redactedExcerpt: "card [REDACTED]", content: "card 4111111111111111");
        }

        Activity span;
        lock (stopped)
        {
            span = stopped.Should().ContainSingle(a => (string?)a.GetTagItem("safetylayers.rule_ids") == marker).Subject;
        }

        span.DisplayName.Should().Be("guard output");
        span.GetTagItem("safetylayers.layer").Should().Be("output");
        span.GetTagItem("safetylayers.action").Should().Be("redact");
        span.GetTagItem("gen_ai.operation.name").Should().Be("guard");
        span.TagObjects.Where(t => t.Value is string s && s.Contains("4111", StringComparison.Ordinal)).Should().BeEmpty();
    }

    [Fact]
    public async Task FileSink_QueueDepthAndHealthGauges_AreObservable()
    {
        using var files = new AuditTestFiles();
        string name = "gauge-" + Guid.NewGuid().ToString("N");
        await using var sink = new JsonLinesAuditSink(new JsonLinesAuditSinkOptions { Path = files.PathOf("a.jsonl"), Name = name });
        using var depth = new MetricCollector<long>(null, "SafetyLayers", "safetylayers.audit.queue.depth");
        using var health = new MetricCollector<int>(null, "SafetyLayers", "safetylayers.audit.sink.health");

        depth.RecordObservableInstruments();
        health.RecordObservableInstruments();

        depth.GetMeasurementSnapshot().Should().Contain(m => (string?)m.Tags["safetylayers.audit.sink"] == name && m.Value >= 0);
        health.GetMeasurementSnapshot().Should().Contain(m => (string?)m.Tags["safetylayers.audit.sink"] == name && m.Value == 1);
    }
}
