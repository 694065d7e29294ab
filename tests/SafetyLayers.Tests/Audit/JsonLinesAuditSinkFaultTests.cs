using Microsoft.Extensions.Diagnostics.Metrics.Testing;

#pragma warning disable xUnit1051 // Waits here are bounded by the sink itself; the test token adds nothing.

namespace SafetyLayers.Tests.Audit;

public class JsonLinesAuditSinkFaultTests
{
    [Fact]
    public async Task DiskFull_SinkFaultsCountsErrorsThenRecoversWithoutLosingEvents()
    {
        // Arrange
        using var files = new AuditTestFiles();
        string path = files.PathOf("audit.jsonl");
        var disk = new FaultyDisk();
        using var errors = new MetricCollector<long>(null, "SafetyLayers", "safetylayers.audit.write.errors");
        var sink = new JsonLinesAuditSink(
            new JsonLinesAuditSinkOptions { Path = path, Name = "full-" + Guid.NewGuid(), RetryInterval = TimeSpan.FromMilliseconds(20) },
            logger: null, timeProvider: null, streamFactory: disk.Open);
        await sink.FlushAsync();

        // Act: the disk fills up while events arrive.
        disk.Full = true;
        for (int i = 0; i < 100; i++)
        {
            await sink.WriteAsync(AuditTestFiles.Event(i));
        }

        await WaitUntil(() => sink.Health == AuditSinkHealth.Faulted);
        AuditSinkHealth duringFault = sink.Health;
        Exception? error = sink.LastError;
        disk.Full = false;
        await sink.FlushAsync();
        await sink.DisposeAsync();

        // Assert
        duringFault.Should().Be(AuditSinkHealth.Faulted);
        error.Should().BeOfType<IOException>();
        sink.Health.Should().Be(AuditSinkHealth.Healthy);
        errors.GetMeasurementSnapshot().Where(m => m.Tags["safetylayers.audit.sink"] is string s && s.StartsWith("full-", StringComparison.Ordinal))
            .Sum(m => m.Value).Should().BePositive();
        AuditVerificationResult result = AuditLogVerifier.Verify([path], new AuditVerificationOptions { RequireCheckpoint = true });
        result.IsIntact.Should().BeTrue(result.Error);
        result.EventCount.Should().Be(100);
        sink.LostEventCount.Should().Be(0);
    }

    [Theory]
    [InlineData(AuditFailurePolicy.Block)]
    [InlineData(AuditFailurePolicy.ContinueWithAlert)]
    public async Task Faulted_QueueFull_AppliesFailurePolicy(AuditFailurePolicy policy)
    {
        using var files = new AuditTestFiles();
        var disk = new FaultyDisk { Full = true };
        var sink = new JsonLinesAuditSink(
            new JsonLinesAuditSinkOptions { Path = files.PathOf("audit.jsonl"), QueueCapacity = 4, FailurePolicy = policy, RetryInterval = TimeSpan.FromMilliseconds(20) },
            null, null, disk.Open);
        await WaitUntil(() => sink.Health == AuditSinkHealth.Faulted);

        Exception? thrown = null;
        try
        {
            for (int i = 0; i < 20; i++)
            {
                await sink.WriteAsync(AuditTestFiles.Event(i)).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (AuditUnavailableException ex)
        {
            thrown = ex;
        }

        if (policy == AuditFailurePolicy.Block)
        {
            thrown.Should().NotBeNull();
            sink.LostEventCount.Should().Be(0);
        }
        else
        {
            thrown.Should().BeNull();
            sink.LostEventCount.Should().BePositive();
        }

        disk.Full = false;
        await sink.DisposeAsync();
        sink.Health.Should().Be(AuditSinkHealth.Healthy);
    }

    [Fact]
    public async Task UnwritableTarget_FaultsAndDisposeCountsLostEvents()
    {
        using var files = new AuditTestFiles();
        string notADirectory = files.PathOf("file");
        await File.WriteAllTextAsync(notADirectory, "x");
        var sink = new JsonLinesAuditSink(new JsonLinesAuditSinkOptions
        {
            Path = Path.Combine(notADirectory, "audit.jsonl"),
            RetryInterval = TimeSpan.FromMilliseconds(10),
        });
        await sink.WriteAsync(AuditTestFiles.Event(1));
        await sink.WriteAsync(AuditTestFiles.Event(2));
        await WaitUntil(() => sink.Health == AuditSinkHealth.Faulted);

        await sink.DisposeAsync();

        sink.Health.Should().Be(AuditSinkHealth.Faulted);
        sink.LastError.Should().BeAssignableTo<IOException>();
        sink.LostEventCount.Should().Be(2);
    }

    internal static async Task WaitUntil(Func<bool> condition)
    {
        for (int i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        condition().Should().BeTrue("the condition should become true within 10 s");
    }

    /// <summary>Opens real files whose writes fail with "No space left on device" while <see cref="Full"/> is set.</summary>
    internal sealed class FaultyDisk
    {
        public volatile bool Full;

        public Stream Open(string path)
        {
            if (Full)
            {
                throw new IOException("No space left on device");
            }

            return new FaultyStream(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1), this);
        }

        private sealed class FaultyStream(FileStream inner, FaultyDisk disk) : Stream
        {
            public override bool CanRead => inner.CanRead;

            public override bool CanSeek => inner.CanSeek;

            public override bool CanWrite => inner.CanWrite;

            public override long Length => inner.Length;

            public override long Position { get => inner.Position; set => inner.Position = value; }

            public override void Flush() => inner.Flush();

            public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

            public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

            public override void SetLength(long value) => inner.SetLength(value);

            public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

            public override void Write(ReadOnlySpan<byte> buffer)
            {
                if (disk.Full)
                {
                    // Half the bytes make it before the device fills up, as a real short write would.
                    inner.Write(buffer[..(buffer.Length / 2)]);
                    throw new IOException("No space left on device");
                }

                inner.Write(buffer);
            }

            public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
            {
                Write(buffer.Span);
                return default;
            }

            public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                Write(buffer.AsSpan(offset, count));
                return Task.CompletedTask;
            }

            public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    inner.Dispose();
                }

                base.Dispose(disposing);
            }
        }
    }
}
