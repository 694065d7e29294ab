using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using SafetyLayers;

namespace SafetyLayers.Benchmarks.Audit;

/// <summary>
/// The audit trail's two costs: recording an event on the request path (issue 7 target: under 200 ns, no lock
/// contention across 8 threads) and the file sink's sustained throughput with the hash chain (target: 200,000 events/s).
/// </summary>
/// <remarks>
/// <c>Record*</c> use a sink whose writer is not started, so they measure the enqueue alone (reserve a slot with one
/// Interlocked, enqueue on a lock-free ConcurrentQueue); the queue is emptied after each iteration.
/// <c>ReportVerdict*</c> run without an iteration cleanup, so BenchmarkDotNet sizes their iterations itself (about 500 ms)
/// and measures the tiered-up code a busy service runs; with a cleanup it would run one 10,000-call invocation per
/// iteration (about 20 ms), and the short job would mostly measure tier-0 code before the JIT had recompiled it.
/// <c>ReportVerdictInScopeWithListeners</c> is the same call with a <see cref="MeterListener"/> and an
/// <see cref="ActivityListener"/> subscribed to SafetyLayers, as with an OpenTelemetry exporter, inside a guard span.
/// <c>FileSink*</c> write 100,000 events to a temporary file and dispose the sink, which waits until every line is
/// serialized, chained, written and the closing checkpoint is on disk; divide 1e9 by the reported ns/op for events/s.
/// </remarks>
[MemoryDiagnoser]
public class AuditBenchmarks
{
    private const int RecordsPerInvoke = 10_000;
    private const int FileEvents = 100_000;

    private readonly AuditEvent _event = new()
    {
        Kind = AuditEventKind.OutputVerdict,
        Timestamp = new DateTimeOffset(2026, 11, 28, 21, 0, 0, TimeSpan.Zero),
        RequestId = "0194f6c4c0de7b3e9f1a2b3c4d5e6f70",
        ConversationId = "conv_123",
        Layer = "output",
        Action = GuardrailAction.Redact,
        Category = "pii",
        RuleIds = ["SL-PII-0003"],
        Spans = [new AuditSpan(12, 16, "SL-PII-0003")],
        LatencyMilliseconds = 0.042,
        PolicyVersion = "2026.11.1",
        Excerpt = "my card is [REDACTED] thanks",
    };

    private readonly string[] _ruleIds = ["SL-PII-0003"];
    private readonly AuditSpan[] _spans = [new AuditSpan(12, 16, "SL-PII-0003")];
    private JsonLinesAuditSink _paused = null!;
    private AuditScope _scope = null!;
    private MeterListener? _meterListener;
    private ActivityListener? _activityListener;
    private string _directory = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "sl-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _paused = new JsonLinesAuditSink(
            new JsonLinesAuditSinkOptions { Path = Path.Combine(_directory, "paused.jsonl"), QueueCapacity = int.MaxValue },
            logger: null, timeProvider: null, streamFactory: null, startWriter: false);
        // The verdict benchmark hands events to a sink that drops them: the enqueue is measured by Record*, and a paused
        // queue would keep every event alive and measure the GC's promotion of millions of survivors instead.
        _scope = new AuditScope(new AuditRecorder([new DiscardingSink()], new AuditOptions(), TimeProvider.System), "0194f6c4c0de7b3e9f1a2b3c4d5e6f70", "conv_123", streaming: true);
    }

    [IterationCleanup(Targets = [nameof(RecordOneThread), nameof(RecordEightThreads)])]
    public void DrainQueue() => _paused.DiscardQueued();

    [GlobalSetup(Target = nameof(ReportVerdictInScopeWithListeners))]
    public void SetupListeners()
    {
        Setup();
        _meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "SafetyLayers")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meterListener.SetMeasurementEventCallback<long>(static (_, _, _, _) => { });
        _meterListener.SetMeasurementEventCallback<double>(static (_, _, _, _) => { });
        _meterListener.Start();
        _activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "SafetyLayers",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_activityListener);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _meterListener?.Dispose();
        _activityListener?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = RecordsPerInvoke)]
    public void RecordOneThread()
    {
        for (int i = 0; i < RecordsPerInvoke; i++)
        {
            Record(_paused, _event);
        }
    }

    /// <summary>What a guard layer pays per verdict: metrics, event construction with time and ids, scope bookkeeping, enqueue.</summary>
    [Benchmark(OperationsPerInvoke = RecordsPerInvoke)]
    public void ReportVerdictInScope()
    {
        AuditScope.Current = _scope;
        for (int i = 0; i < RecordsPerInvoke; i++)
        {
            GuardrailAudit.ReportVerdict(AuditEventKind.OutputVerdict, GuardrailAudit.OutputLayer, GuardrailAction.Redact, _ruleIds, "pii", _spans,
                redactedExcerpt: "my card is [REDACTED] thanks");
        }

        AuditScope.Current = null;
    }

    /// <summary>The same with metrics and traces collected: the verdict counter is recorded and the guard span tagged.</summary>
    [Benchmark(OperationsPerInvoke = RecordsPerInvoke)]
    public void ReportVerdictInScopeWithListeners()
    {
        AuditScope.Current = _scope;
        using Activity? span = GuardrailAudit.StartEvaluation(GuardrailAudit.OutputLayer);
        for (int i = 0; i < RecordsPerInvoke; i++)
        {
            GuardrailAudit.ReportVerdict(AuditEventKind.OutputVerdict, GuardrailAudit.OutputLayer, GuardrailAction.Redact, _ruleIds, "pii", _spans,
                redactedExcerpt: "my card is [REDACTED] thanks");
        }

        AuditScope.Current = null;
    }

    [Benchmark(OperationsPerInvoke = RecordsPerInvoke * 8)]
    public void RecordEightThreads()
    {
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            for (int i = 0; i < RecordsPerInvoke; i++)
            {
                Record(_paused, _event);
            }
        });
    }

    private static void Record(JsonLinesAuditSink sink, AuditEvent auditEvent)
    {
        ValueTask pending = sink.WriteAsync(auditEvent);
        if (!pending.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("The request-path write should complete synchronously.");
        }
    }

    [Benchmark(OperationsPerInvoke = FileEvents)]
    public async Task FileSinkHashChain()
    {
        await using var sink = new JsonLinesAuditSink(Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".jsonl"));
        for (int i = 0; i < FileEvents; i++)
        {
            await sink.WriteAsync(_event);
        }
    }

    [Benchmark(OperationsPerInvoke = FileEvents)]
    public async Task FileSinkHmacChain()
    {
        await using var sink = new JsonLinesAuditSink(new JsonLinesAuditSinkOptions
        {
            Path = Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".jsonl"),
            HmacKey = new byte[32],
        });
        for (int i = 0; i < FileEvents; i++)
        {
            await sink.WriteAsync(_event);
        }
    }

    private sealed class DiscardingSink : IAuditSink
    {
        public AuditSinkHealth Health => AuditSinkHealth.Healthy;

        public ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default) => default;

        public ValueTask FlushAsync(CancellationToken cancellationToken = default) => default;
    }
}
