#pragma warning disable xUnit1051 // Waits here are bounded by the sink itself; the test token adds nothing.

namespace SafetyLayers.Tests.Audit;

public class JsonLinesAuditSinkTests
{
    [Fact]
    public async Task WriteAsync_ThenDispose_WritesOpenEventsAndCheckpointThatVerify()
    {
        using var files = new AuditTestFiles();
        string path = files.PathOf("audit.jsonl");
        var sink = new JsonLinesAuditSink(path);
        for (int i = 0; i < 10; i++)
        {
            await sink.WriteAsync(AuditTestFiles.Event(i));
        }

        await sink.DisposeAsync();

        string[] lines = File.ReadAllLines(path);
        lines.Should().HaveCount(12);
        lines[0].Should().StartWith("{\"seq\":0,\"t\":\"o\"");
        lines[1].Should().StartWith("{\"seq\":1,\"t\":\"e\",\"ev\":{\"v\":1,\"kind\":\"input_verdict\"");
        lines[^1].Should().Contain("\"t\":\"c\"");
        AuditVerificationResult result = AuditLogVerifier.Verify([path], new AuditVerificationOptions { RequireCheckpoint = true });
        result.IsIntact.Should().BeTrue(result.Error);
        result.EventCount.Should().Be(10);
        sink.DurableEventCount.Should().Be(10);
    }

    [Fact]
    public async Task FlushAsync_ReturnsAfterEventsAreInTheFile()
    {
        using var files = new AuditTestFiles();
        string path = files.PathOf("audit.jsonl");
        await using var sink = new JsonLinesAuditSink(new JsonLinesAuditSinkOptions { Path = path, FlushInterval = TimeSpan.FromMinutes(1) });
        await sink.WriteAsync(AuditTestFiles.Event(1));
        await sink.WriteAsync(AuditTestFiles.Event(2));

        await sink.FlushAsync();

        sink.DurableEventCount.Should().Be(2);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(3);
    }

    [Fact]
    public async Task EightWriters_100000EventsEach_WritesExactly800000ValidChainedLines()
    {
        // Arrange
        using var files = new AuditTestFiles();
        string path = files.PathOf("audit.jsonl");
        const int Writers = 8;
        const int PerWriter = 100_000;
        var sink = new JsonLinesAuditSink(new JsonLinesAuditSinkOptions { Path = path, QueueCapacity = 8_192 });
        AuditEvent[] events = [.. Enumerable.Range(0, Writers).Select(w => AuditTestFiles.Event(w, "w" + w))];

        // Act
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            AuditEvent e = events[w];
            for (int i = 0; i < PerWriter; i++)
            {
                await sink.WriteAsync(e);
            }
        })));
        await sink.DisposeAsync();

        // Assert
        AuditVerificationResult result = AuditLogVerifier.Verify([path], new AuditVerificationOptions { RequireCheckpoint = true });
        result.IsIntact.Should().BeTrue(result.Error);
        result.EventCount.Should().Be(Writers * PerWriter);
        result.LineCount.Should().Be((Writers * PerWriter) + 2);
        // The verifier parsed every line as JSON (Utf8JsonReader over the whole line); count each writer's events.
        var perWriter = new int[Writers];
        foreach (string line in File.ReadLines(path))
        {
            int at = line.IndexOf("\"requestId\":\"w", StringComparison.Ordinal);
            if (at >= 0)
            {
                perWriter[line[at + 14] - '0']++;
            }
        }

        perWriter.Should().AllBeEquivalentTo(PerWriter);
        sink.DroppedEventCount.Should().Be(0);
        sink.DurableEventCount.Should().Be(Writers * PerWriter);
    }

    [Fact]
    public async Task Reopen_AfterCleanClose_ContinuesTheChain()
    {
        using var files = new AuditTestFiles();
        string path = files.PathOf("audit.jsonl");
        for (int session = 0; session < 3; session++)
        {
            await using var sink = new JsonLinesAuditSink(path);
            await sink.WriteAsync(AuditTestFiles.Event(session));
        }

        AuditVerificationResult result = AuditLogVerifier.Verify([path], new AuditVerificationOptions { RequireCheckpoint = true });

        result.IsIntact.Should().BeTrue(result.Error);
        result.EventCount.Should().Be(3);
        result.LineCount.Should().Be(9);
    }

    [Fact]
    public async Task Reopen_TornTail_IsRepairedAndRecorded()
    {
        using var files = new AuditTestFiles();
        string path = files.PathOf("audit.jsonl");
        await using (var first = new JsonLinesAuditSink(path))
        {
            await first.WriteAsync(AuditTestFiles.Event(1));
        }

        await File.AppendAllTextAsync(path, "{\"seq\":3,\"t\":\"e\",\"ev\":{\"v\":1,\"ki");
        AuditLogVerifier.Verify(path).HasTornTail.Should().BeTrue();

        await using (var second = new JsonLinesAuditSink(path))
        {
            await second.WriteAsync(AuditTestFiles.Event(2));
        }

        AuditVerificationResult result = AuditLogVerifier.Verify([path], new AuditVerificationOptions { RequireCheckpoint = true });
        result.IsIntact.Should().BeTrue(result.Error);
        result.HasTornTail.Should().BeFalse();
        result.EventCount.Should().Be(2);
        File.ReadAllLines(path)[3].Should().Contain("\"repairedBytes\":32");
    }

    [Fact]
    public async Task MaxFileSizeBytes_Rotates_AndAllSegmentsVerifyInAnyOrder()
    {
        using var files = new AuditTestFiles();
        string path = files.PathOf("audit.jsonl");
        await using (var sink = new JsonLinesAuditSink(new JsonLinesAuditSinkOptions { Path = path, MaxFileSizeBytes = 4_000, MaxBatchSize = 5 }))
        {
            for (int i = 0; i < 200; i++)
            {
                await sink.WriteAsync(AuditTestFiles.Event(i));
                if (i % 5 == 4)
                {
                    await sink.FlushAsync();
                }
            }
        }

        string[] segments = [.. Directory.GetFiles(files.Directory, "*.jsonl").OrderByDescending(f => f, StringComparer.Ordinal)];
        segments.Length.Should().BeGreaterThan(3);
        AuditVerificationResult result = AuditLogVerifier.Verify(segments, new AuditVerificationOptions { RequireCheckpoint = true });
        result.IsIntact.Should().BeTrue(result.Error);
        result.EventCount.Should().Be(200);

        // A missing middle segment is reported.
        AuditVerificationResult missing = AuditLogVerifier.Verify([path, files.PathOf("audit.2.jsonl"), files.PathOf("audit.3.jsonl")]);
        missing.IsIntact.Should().BeFalse();
        missing.FailedLine.Should().Be(1);
        missing.Error.Should().Contain("missing");
    }

    [Fact]
    public async Task HmacKey_LogVerifiesOnlyWithTheKey()
    {
        using var files = new AuditTestFiles();
        string path = files.PathOf("audit.jsonl");
        byte[] key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
        await using (var sink = new JsonLinesAuditSink(new JsonLinesAuditSinkOptions { Path = path, HmacKey = key }))
        {
            await sink.WriteAsync(AuditTestFiles.Event(1));
        }

        AuditLogVerifier.Verify([path], new AuditVerificationOptions { HmacKey = key }).IsIntact.Should().BeTrue();
        AuditLogVerifier.Verify(path).Error.Should().Contain("key");
        AuditLogVerifier.Verify([path], new AuditVerificationOptions { HmacKey = new byte[32] }).FailedLine.Should().Be(1);
    }

    [Fact]
    public async Task DropMode_QueueFull_CountsDropsAndWritesTheRest()
    {
        using var files = new AuditTestFiles();
        string path = files.PathOf("audit.jsonl");
        var sink = new JsonLinesAuditSink(new JsonLinesAuditSinkOptions { Path = path, QueueCapacity = 1, FullMode = AuditQueueFullMode.Drop });
        for (int i = 0; i < 20_000; i++)
        {
            await sink.WriteAsync(AuditTestFiles.Event(i));
        }

        await sink.DisposeAsync();

        AuditVerificationResult result = AuditLogVerifier.Verify(path);
        result.IsIntact.Should().BeTrue(result.Error);
        (result.EventCount + sink.DroppedEventCount).Should().Be(20_000);
        sink.DroppedEventCount.Should().BePositive();
    }

    [Fact]
    public async Task SecondSinkOnTheSamePath_FaultsAndLeavesTheFirstChainIntact()
    {
        using var files = new AuditTestFiles();
        string path = files.PathOf("audit.jsonl");
        var first = new JsonLinesAuditSink(path);
        await first.FlushAsync();
        var second = new JsonLinesAuditSink(new JsonLinesAuditSinkOptions { Path = path, RetryInterval = TimeSpan.FromMilliseconds(10) });

        await JsonLinesAuditSinkFaultTests.WaitUntil(() => second.Health == AuditSinkHealth.Faulted);
        await first.WriteAsync(AuditTestFiles.Event(1));
        await first.DisposeAsync();
        await second.DisposeAsync();

        second.LastError!.Message.Should().Contain("Another writer");
        AuditVerificationResult result = AuditLogVerifier.Verify(path);
        result.IsIntact.Should().BeTrue(result.Error);
        result.EventCount.Should().Be(1);
    }

    [Fact]
    public async Task WriteAsync_AfterDispose_Throws()
    {
        using var files = new AuditTestFiles();
        var sink = new JsonLinesAuditSink(files.PathOf("audit.jsonl"));
        await sink.DisposeAsync();

        Func<Task> act = async () => await sink.WriteAsync(AuditTestFiles.Event(1));

        await act.Should().ThrowAsync<ObjectDisposedException>();
    }
}
