namespace SafetyLayers.Tests.Audit;

/// <summary>Runs alone: a metric collector of another test would record (and allocate) on this test's thread.</summary>
[CollectionDefinition(nameof(GuardrailAuditAllocationTests), DisableParallelization = true)]
public sealed class GuardrailAuditAllocationGroup
{
}

[Collection(nameof(GuardrailAuditAllocationTests))]
public class GuardrailAuditAllocationTests
{
    private const int Calls = 10_000;

    private static readonly string[] RuleIds = ["SL-PII-0003"];
    private static readonly AuditSpan[] Spans = [new AuditSpan(12, 16, "SL-PII-0003")];

    [Fact]
    public void ReportVerdict_InScope_AllocatesNothingButTheEvent()
    {
        // Arrange
        var sink = new CountingSink();
        var scope = new AuditScope(new AuditRecorder([sink], new AuditOptions(), TimeProvider.System), "req", "conv", streaming: true);
        AuditScope.Current = scope;
        try
        {
            for (int i = 0; i < 3_000; i++)
            {
                Report();   // warm up the tiered JIT and the scope's rule-id union
                _ = new AuditEvent(scope, AuditEventKind.OutputVerdict, GuardrailAudit.OutputLayer, null, RuleIds, Spans);
            }

            // Act: the best of three rounds, so a one-time cost inside one round does not count
            long reported = long.MaxValue;
            long events = long.MaxValue;
            for (int round = 0; round < 3; round++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < Calls; i++)
                {
                    Report();
                }

                reported = Math.Min(reported, GC.GetAllocatedBytesForCurrentThread() - before);
                before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < Calls; i++)
                {
                    _ = new AuditEvent(scope, AuditEventKind.OutputVerdict, GuardrailAudit.OutputLayer, null, RuleIds, Spans);
                }

                events = Math.Min(events, GC.GetAllocatedBytesForCurrentThread() - before);
            }

            // Assert
            sink.Count.Should().Be(3_000 + (3 * Calls));
            scope.RuleIds.Should().Equal("SL-PII-0003");
            reported.Should().BeLessThan(events + 10_000, because: "a verdict allocates its event and nothing else");
        }
        finally
        {
            AuditScope.Current = null;
        }
    }

    private static void Report() =>
        GuardrailAudit.ReportVerdict(AuditEventKind.OutputVerdict, GuardrailAudit.OutputLayer, GuardrailAction.Redact, RuleIds, "pii", Spans,
            redactedExcerpt: "my card is [REDACTED] thanks");

    private sealed class CountingSink : IAuditSink
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public AuditSinkHealth Health => AuditSinkHealth.Healthy;

        public ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return default;
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken = default) => default;
    }
}
