using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SafetyLayers;

/// <summary>
/// An <see cref="IAuditSink"/> that appends events to a hash-chained JSON Lines file, off the request path.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="WriteAsync"/> only reserves a slot in a bounded lock-free queue and returns; one writer task drains the queue
/// in batches, serializes each event (the bytes of the System.Text.Json source-generated context, written without
/// allocating), chains it (SHA-256 or HMAC-SHA256 over the previous line's hash and this line), writes the batch through
/// a <see cref="PipeWriter"/> and flushes it, optionally with fsync. <see cref="DurableEventCount"/> counts the events
/// flushed so far; <see cref="FlushAsync"/> waits for them.
/// </para>
/// <para>
/// On open the sink repairs a torn final line left by a crash (it truncates the partial bytes and records how many in the
/// open line) and continues the chain. On an I/O error it becomes <see cref="AuditSinkHealth.Faulted"/>, keeps the failed
/// batch, truncates the file back to the last good length and retries every <see cref="JsonLinesAuditSinkOptions.RetryInterval"/>.
/// Disposing writes everything still queued, a closing checkpoint line, and forces the file to disk.
/// The format is described in <c>docs/audit.md</c> and checked by <see cref="AuditLogVerifier"/>.
/// </para>
/// </remarks>
public sealed partial class JsonLinesAuditSink : IAuditSink, IAsyncDisposable, IDisposable
{
    private static readonly ConcurrentDictionary<JsonLinesAuditSink, byte> s_live = new();

    private readonly JsonLinesAuditSinkOptions _options;
    private readonly string _basePath;
    private readonly KeyValuePair<string, object?> _sinkTag;
    private readonly int _capacity;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly Func<string, Stream>? _streamFactory;

    // Shared between producers and the writer.
    private readonly ConcurrentQueue<QueueItem> _queue = new();
    private readonly SemaphoreSlim _wakeWriter = new(0);
    private readonly CancellationTokenSource _closeCts = new();
    private TaskCompletionSource _spaceAvailable = NewSignal();
    private long _reserved;
    private int _waitingProducers;
    private int _writerIdle;
    private int _closing;
    private int _health;
    private long _dropped;
    private long _lost;
    private long _durableEvents;
    private Exception? _lastError;
    private readonly Task _writer;

    // Writer-only state.
    private readonly List<QueueItem> _batch = [];
    private readonly ArrayBufferWriter<byte> _scratch = new(1024);
    private readonly Utf8JsonWriter _json;
    private readonly IncrementalHash _hash;
    private readonly byte[] _prevHash = new byte[AuditLogFormat.HashSize];
    private readonly byte[] _committedHash = new byte[AuditLogFormat.HashSize];
    private Stream? _stream;
    private FileStream? _lockFile;
    private PipeWriter? _pipe;
    private int _segment;
    private long _nextSeq;
    private long _committedSeq;
    private long _committedLength;
    private long _pendingBytes;
    private bool _opened;
    private bool _needsOpenLine;

    /// <summary>Initializes a new instance of the <see cref="JsonLinesAuditSink"/> class that writes to <paramref name="path"/> with default options.</summary>
    /// <param name="path">The path of the log file.</param>
    public JsonLinesAuditSink(string path)
        : this(new JsonLinesAuditSinkOptions { Path = path })
    {
    }

    /// <summary>Initializes a new instance of the <see cref="JsonLinesAuditSink"/> class and starts its writer.</summary>
    /// <param name="options">The options; they are copied, so later changes have no effect.</param>
    /// <param name="logger">An optional logger for I/O errors and recoveries.</param>
    /// <param name="timeProvider">An optional time source for the timestamps of open and checkpoint lines.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The options are invalid.</exception>
    /// <remarks>The file is opened by the writer task; a failure to open makes the sink <see cref="AuditSinkHealth.Faulted"/> rather than throwing here.</remarks>
    public JsonLinesAuditSink(JsonLinesAuditSinkOptions options, ILogger? logger = null, TimeProvider? timeProvider = null)
        : this(options, logger, timeProvider, streamFactory: null)
    {
    }

    internal JsonLinesAuditSink(JsonLinesAuditSinkOptions options, ILogger? logger, TimeProvider? timeProvider, Func<string, Stream>? streamFactory)
        : this(options, logger, timeProvider, streamFactory, startWriter: true)
    {
    }

    /// <summary>With <paramref name="startWriter"/> false, nothing drains the queue: benchmarks measure the request-path cost alone.</summary>
    internal JsonLinesAuditSink(JsonLinesAuditSinkOptions options, ILogger? logger, TimeProvider? timeProvider, Func<string, Stream>? streamFactory, bool startWriter)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Clone();
        _basePath = System.IO.Path.GetFullPath(_options.Path!);
        _sinkTag = new(SafetyLayersTelemetry.SinkTag, _options.Name ?? System.IO.Path.GetFileName(_basePath));
        _capacity = _options.QueueCapacity;
        _logger = logger ?? NullLogger.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _streamFactory = streamFactory;
        _json = new Utf8JsonWriter(_scratch, new JsonWriterOptions { SkipValidation = true });
        _hash = AuditLogFormat.CreateHash(_options.HmacKey);
        SafetyLayersTelemetry.EnsureInitialized();
        s_live.TryAdd(this, 0);
        _writer = startWriter ? Task.Run(RunWriterAsync) : Task.CompletedTask;
    }

    /// <inheritdoc/>
    public AuditSinkHealth Health => (AuditSinkHealth)Volatile.Read(ref _health);

    /// <summary>Gets the I/O error behind the current <see cref="AuditSinkHealth.Faulted"/> state, or the last one seen.</summary>
    public Exception? LastError => Volatile.Read(ref _lastError);

    /// <summary>Gets the number of events written and flushed to the file (and forced to disk when <see cref="JsonLinesAuditSinkOptions.FlushToDisk"/> is set).</summary>
    /// <remarks>After a process crash every one of these events is in the file: durability is reported only after the flush returned.</remarks>
    public long DurableEventCount => Volatile.Read(ref _durableEvents);

    /// <summary>Gets the number of events dropped because the queue was full in <see cref="AuditQueueFullMode.Drop"/> mode.</summary>
    public long DroppedEventCount => Volatile.Read(ref _dropped);

    /// <summary>Gets the number of events lost to an I/O fault (refused while faulted with a full queue, or unwritable at dispose).</summary>
    public long LostEventCount => Volatile.Read(ref _lost);

    /// <summary>Gets the number of events accepted but not yet taken by the writer.</summary>
    public long QueueDepth => Math.Max(0, Volatile.Read(ref _reserved));

    /// <summary>Gets the full path of the segment the writer currently appends to.</summary>
    public string CurrentPath => AuditLogFormat.SegmentPath(_basePath, Volatile.Read(ref _segment));

    /// <inheritdoc/>
    /// <exception cref="ObjectDisposedException">The sink is disposed.</exception>
    /// <exception cref="AuditUnavailableException">The sink is faulted, its queue is full and the failure policy is <see cref="AuditFailurePolicy.Block"/>.</exception>
    public ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);

        // Reserve first, check closing second: DisposeAsync sets _closing, then drains until _reserved is 0, so a reservation
        // that saw _closing == 0 is always drained.
        if (Interlocked.Increment(ref _reserved) > _capacity)
        {
            return WriteWhenFullAsync(auditEvent, cancellationToken);
        }

        bool closed = Volatile.Read(ref _closing) != 0;
        if (closed)
        {
            Interlocked.Decrement(ref _reserved);
        }

        ObjectDisposedException.ThrowIf(closed, this);
        _queue.Enqueue(new QueueItem(auditEvent, null));
        WakeWriterIfIdle();
        return default;
    }

    /// <inheritdoc/>
    /// <exception cref="ObjectDisposedException">The sink is disposed.</exception>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Increment(ref _reserved);
        bool closed = Volatile.Read(ref _closing) != 0;
        if (closed)
        {
            Interlocked.Decrement(ref _reserved);
        }

        ObjectDisposedException.ThrowIf(closed, this);
        _queue.Enqueue(new QueueItem(null, done));
        WakeWriterIfIdle();
        await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes every queued event and a closing checkpoint, forces the file to disk and closes it.</summary>
    /// <returns>A task that completes when the file is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            await _writer.ConfigureAwait(false);
            return;
        }

        await _closeCts.CancelAsync().ConfigureAwait(false);
        _wakeWriter.Release();
        SignalSpace();
        await _writer.ConfigureAwait(false);
        s_live.TryRemove(this, out _);
        _json.Dispose();
        _hash.Dispose();
        _closeCts.Dispose();
    }

    /// <summary>Writes every queued event and a closing checkpoint, forces the file to disk and closes it.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Empties the queue of a sink created without a writer (benchmarks only).</summary>
    internal int DiscardQueued()
    {
        int count = 0;
        while (_queue.TryDequeue(out _))
        {
            count++;
        }

        Interlocked.Add(ref _reserved, -count);
        return count;
    }

    internal static IEnumerable<Measurement<long>> ObserveQueueDepths()
    {
        foreach (JsonLinesAuditSink sink in s_live.Keys)
        {
            yield return new Measurement<long>(sink.QueueDepth, sink._sinkTag);
        }
    }

    internal static IEnumerable<Measurement<int>> ObserveHealth()
    {
        foreach (JsonLinesAuditSink sink in s_live.Keys)
        {
            yield return new Measurement<int>(sink.Health == AuditSinkHealth.Healthy ? 1 : 0, sink._sinkTag);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void WakeWriterIfIdle()
    {
        if (Volatile.Read(ref _writerIdle) != 0 && Interlocked.Exchange(ref _writerIdle, 0) != 0)
        {
            _wakeWriter.Release();
        }
    }

    private async ValueTask WriteWhenFullAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        while (true)
        {
            Interlocked.Decrement(ref _reserved);
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _closing) != 0, this);

            if (_options.FullMode == AuditQueueFullMode.Drop)
            {
                Interlocked.Increment(ref _dropped);
                SafetyLayersTelemetry.AuditDropped.Add(1, _sinkTag, new(SafetyLayersTelemetry.ReasonTag, "queue_full"));
                return;
            }

            if (Health == AuditSinkHealth.Faulted)
            {
                if (_options.FailurePolicy == AuditFailurePolicy.Block)
                {
                    throw new AuditUnavailableException("The audit log cannot be written and its queue is full.", LastError);
                }

                Interlocked.Increment(ref _lost);
                SafetyLayersTelemetry.AuditDropped.Add(1, _sinkTag, new(SafetyLayersTelemetry.ReasonTag, "faulted"));
                return;
            }

            Task space = Volatile.Read(ref _spaceAvailable).Task;
            Interlocked.Increment(ref _waitingProducers);
            try
            {
                if (Volatile.Read(ref _reserved) >= _capacity && Health == AuditSinkHealth.Healthy && Volatile.Read(ref _closing) == 0)
                {
                    await space.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _waitingProducers);
            }

            if (Interlocked.Increment(ref _reserved) <= _capacity)
            {
                bool closedNow = Volatile.Read(ref _closing) != 0;
                if (closedNow)
                {
                    Interlocked.Decrement(ref _reserved);
                }

                ObjectDisposedException.ThrowIf(closedNow, this);
                _queue.Enqueue(new QueueItem(auditEvent, null));
                WakeWriterIfIdle();
                return;
            }
        }
    }

    private void SignalSpace()
    {
        if (Volatile.Read(ref _waitingProducers) > 0)
        {
            Interlocked.Exchange(ref _spaceAvailable, NewSignal()).TrySetResult();
        }
    }

    private async Task RunWriterAsync()
    {
        if (!await ExecuteWithRetryAsync(OpenInitialAsync).ConfigureAwait(false))
        {
            GiveUp();
            return;
        }

        while (true)
        {
            int taken = 0;
            while (_batch.Count < _options.MaxBatchSize && _queue.TryDequeue(out QueueItem item))
            {
                _batch.Add(item);
                taken++;
            }

            if (taken > 0)
            {
                Interlocked.Add(ref _reserved, -taken);
                SignalSpace();
                if (!await ExecuteWithRetryAsync(WriteBatchAsync).ConfigureAwait(false))
                {
                    GiveUp();
                    return;
                }

                continue;
            }

            if (Volatile.Read(ref _closing) != 0 && Volatile.Read(ref _reserved) <= 0 && _queue.IsEmpty)
            {
                break;
            }

            Interlocked.Exchange(ref _writerIdle, 1);
            if (!_queue.IsEmpty || Volatile.Read(ref _closing) != 0)
            {
                Volatile.Write(ref _writerIdle, 0);
                if (_queue.IsEmpty)
                {
                    await Task.Yield();
                }

                continue;
            }

            await _wakeWriter.WaitAsync(_options.FlushInterval).ConfigureAwait(false);
            Volatile.Write(ref _writerIdle, 0);
        }

        if (!await ExecuteWithRetryAsync(CloseAsync).ConfigureAwait(false))
        {
            GiveUp();
        }
    }

    /// <summary>Closing while the target stays broken: whatever could not be written is counted as lost, loudly.</summary>
    private void GiveUp()
    {
        long lost = 0;
        foreach (QueueItem item in _batch)
        {
            lost += item.Event is null ? 0 : 1;
            item.Flush?.TrySetException(new AuditUnavailableException("The audit log could not be written before the sink closed.", LastError));
        }

        _batch.Clear();
        while (_queue.TryDequeue(out QueueItem item))
        {
            lost += item.Event is null ? 0 : 1;
            item.Flush?.TrySetException(new AuditUnavailableException("The audit log could not be written before the sink closed.", LastError));
        }

        Interlocked.Add(ref _lost, lost);
        if (lost > 0)
        {
            SafetyLayersTelemetry.AuditDropped.Add(lost, _sinkTag, new(SafetyLayersTelemetry.ReasonTag, "faulted"));
        }

        Log.EventsLost(_logger, lost, _basePath, LastError);
        CloseStreamQuietly();
        ReleaseWriterLock();
    }

    /// <summary>Runs one I/O step, retrying after faults; returns <see langword="false"/> when it gave up while closing.</summary>
    private async Task<bool> ExecuteWithRetryAsync(Func<ValueTask> action)
    {
        int failuresWhileClosing = 0;
        while (true)
        {
            try
            {
                await action().ConfigureAwait(false);
                if (Interlocked.Exchange(ref _health, (int)AuditSinkHealth.Healthy) != (int)AuditSinkHealth.Healthy)
                {
                    Log.Recovered(_logger, _basePath);
                }

                return true;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or InvalidDataException)
            {
                // Roll back to the last committed line: the file is truncated to that length when it is reopened.
                _nextSeq = _committedSeq;
                _committedHash.CopyTo(_prevHash, 0);
                _pendingBytes = 0;
                CloseStreamQuietly();
                Volatile.Write(ref _lastError, ex);
                Volatile.Write(ref _health, (int)AuditSinkHealth.Faulted);
                SafetyLayersTelemetry.AuditErrors.Add(1, _sinkTag);
                Log.WriteFailed(_logger, _basePath, ex);
                SignalSpace();
                if (Volatile.Read(ref _closing) != 0 && ++failuresWhileClosing >= 3)
                {
                    return false;
                }

                try
                {
                    await Task.Delay(_options.RetryInterval, _timeProvider, Volatile.Read(ref _closing) != 0 ? CancellationToken.None : _closeCts.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
    }

    private async ValueTask OpenInitialAsync()
    {
        AcquireWriterLock();
        _segment = AuditLogFormat.FindLastSegment(_basePath);
        string path = AuditLogFormat.SegmentPath(_basePath, _segment);
        Stream stream = OpenStream(path);
        _stream = stream;
        long length = stream.Length;
        long repaired = 0;
        byte[]? lastLine = null;
        if (length > 0)
        {
            (long validEnd, lastLine) = ReadTail(stream, length);
            repaired = length - validEnd;
            if (repaired > 0)
            {
                stream.SetLength(validEnd);
                length = validEnd;
            }
        }

        if (lastLine is null && _segment > 0)
        {
            lastLine = ReadLastLine(AuditLogFormat.SegmentPath(_basePath, _segment - 1));
        }

        if (lastLine is null)
        {
            _nextSeq = 0;
            Array.Clear(_prevHash);
        }
        else
        {
            LoadChainState(lastLine, path);
        }

        _committedSeq = _nextSeq;
        _prevHash.CopyTo(_committedHash, 0);
        _committedLength = length;
        stream.Position = length;
        _pipe = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024, leaveOpen: true));
        if (repaired > 0)
        {
            Log.TornTailRepaired(_logger, repaired, path);
        }

        WriteOpenLine(repaired);
        await FlushPipeAsync(forceToDisk: true).ConfigureAwait(false);
        Commit(events: 0);
        _opened = true;
    }

    private async ValueTask WriteBatchAsync()
    {
        PrepareAppend();
        int events = 0;
        foreach (QueueItem item in _batch)
        {
            if (item.Event is not null)
            {
                WriteEventLine(item.Event);
                events++;
            }
        }

        if (_pendingBytes > 0)
        {
            await FlushPipeAsync(_options.FlushToDisk).ConfigureAwait(false);
            Commit(events);
        }

        foreach (QueueItem item in _batch)
        {
            item.Flush?.TrySetResult();
        }

        _batch.Clear();
        if (_options.MaxFileSizeBytes is long max && _committedLength >= max)
        {
            await RotateAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask RotateAsync()
    {
        // Close the full segment with a checkpoint, then start the next one with an open line. A failure in between is
        // retried by the batch's retry loop, which reopens the current segment and rotates again.
        WriteCheckpointLine("rotate");
        await FlushPipeAsync(forceToDisk: true).ConfigureAwait(false);
        Commit(events: 0);
        CloseStreamQuietly();
        Volatile.Write(ref _segment, _segment + 1);
        _committedLength = 0;
        _needsOpenLine = true;
        PrepareAppend();
        await FlushPipeAsync(forceToDisk: true).ConfigureAwait(false);
        Commit(events: 0);
    }

    private async ValueTask CloseAsync()
    {
        if (!_opened)
        {
            return;
        }

        PrepareAppend();
        WriteCheckpointLine("close");
        await FlushPipeAsync(forceToDisk: true).ConfigureAwait(false);
        Commit(events: 0);
        await _pipe!.CompleteAsync().ConfigureAwait(false);
        _pipe = null;
        await _stream!.DisposeAsync().ConfigureAwait(false);
        _stream = null;
        ReleaseWriterLock();
    }

    /// <summary>
    /// Holds <c>PATH.lock</c> exclusively while the sink lives: two writers appending to one chain would corrupt it (for
    /// example a pipeline built twice with the same path). The log itself stays readable by verifiers and tail readers.
    /// </summary>
    private void AcquireWriterLock()
    {
        if (_lockFile is not null || _streamFactory is not null)
        {
            return;
        }

        string lockPath = _basePath + ".lock";
        string? directory = System.IO.Path.GetDirectoryName(lockPath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        try
        {
            _lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
        }
        catch (IOException ex) when (File.Exists(lockPath))
        {
            throw new IOException($"Another writer holds '{lockPath}': only one sink may append to the audit log '{_basePath}'.", ex);
        }
    }

    private void ReleaseWriterLock()
    {
        _lockFile?.Dispose();
        _lockFile = null;
    }

    private Stream OpenStream(string path)
    {
        if (_streamFactory is not null)
        {
            return _streamFactory(path);
        }

        string? directory = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 1, FileOptions.None);
    }

    /// <summary>Makes the current segment ready for appending, with its open line when a rotation left it without one.</summary>
    private void PrepareAppend()
    {
        EnsureStreamOpen();
        if (_needsOpenLine && _pendingBytes == 0 && _committedLength == 0)
        {
            WriteOpenLine(repaired: 0);
        }
    }

    /// <summary>Reopens the current segment after a fault or a rotation, cut back to the last committed length.</summary>
    private void EnsureStreamOpen()
    {
        if (_stream is not null)
        {
            return;
        }

        string path = AuditLogFormat.SegmentPath(_basePath, _segment);
        Stream stream = OpenStream(path);
        try
        {
            long length = stream.Length;
            if (length < _committedLength)
            {
                throw new InvalidDataException($"The audit log '{path}' is shorter ({length} bytes) than what was written to it ({_committedLength} bytes).");
            }

            if (length > _committedLength)
            {
                stream.SetLength(_committedLength);
            }

            stream.Position = _committedLength;
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        _stream = stream;
        _pipe = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024, leaveOpen: true));
    }

    private async ValueTask FlushPipeAsync(bool forceToDisk)
    {
        FlushResult result = await _pipe!.FlushAsync().ConfigureAwait(false);
        if (result.IsCanceled)
        {
            throw new IOException("The audit log flush was canceled.");
        }

        if (forceToDisk && _stream is FileStream file)
        {
            file.Flush(flushToDisk: true);
        }
    }

    private void Commit(int events)
    {
        _committedLength += _pendingBytes;
        _pendingBytes = 0;
        _committedSeq = _nextSeq;
        _prevHash.CopyTo(_committedHash, 0);
        _needsOpenLine = false;
        if (events > 0)
        {
            Interlocked.Add(ref _durableEvents, events);
            SafetyLayersTelemetry.AuditWritten.Add(events, _sinkTag);
        }
    }

    private void CloseStreamQuietly()
    {
        try
        {
            _pipe?.Complete();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ObjectDisposedException)
        {
        }

        try
        {
            _stream?.Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
        }

        _pipe = null;
        _stream = null;
    }

    private void WriteEventLine(AuditEvent auditEvent)
    {
        Utf8JsonWriter json = BeginLine('e');
        json.WritePropertyName(AuditLogFormat.Event);
        AuditEventJson.Write(json, auditEvent);
        EndLine();
    }

    private void WriteOpenLine(long repaired)
    {
        Utf8JsonWriter json = BeginLine('o');
        json.WriteNumber("v", AuditLogFormat.FormatVersion);
        json.WriteString("alg", _options.HmacKey is null ? AuditLogFormat.Sha256 : AuditLogFormat.HmacSha256);
        json.WriteNumber("seg", _segment);
        json.WriteString(AuditLogFormat.Time, _timeProvider.GetUtcNow());
        json.WriteNumber("repairedBytes", repaired);
        EndLine();
    }

    private void WriteCheckpointLine(string reason)
    {
        Utf8JsonWriter json = BeginLine('c');
        json.WriteString(AuditLogFormat.Time, _timeProvider.GetUtcNow());
        json.WriteString("reason", reason);
        json.WriteNumber("durableEvents", Volatile.Read(ref _durableEvents));
        EndLine();
    }

    /// <summary>Starts a line in the scratch buffer, after the previous line's hash: the two are hashed with one call.</summary>
    private Utf8JsonWriter BeginLine(char type)
    {
        _scratch.ResetWrittenCount();
        _prevHash.CopyTo(_scratch.GetSpan(AuditLogFormat.HashSize));
        _scratch.Advance(AuditLogFormat.HashSize);
        _json.Reset(_scratch);
        _json.WriteStartObject();
        _json.WriteNumber(AuditLogFormat.Seq, _nextSeq);
        _json.WriteString(AuditLogFormat.Type, type switch { 'o' => "o", 'c' => "c", _ => "e" });
        return _json;
    }

    private void EndLine()
    {
        _json.Flush();
        ReadOnlySpan<byte> hashed = _scratch.WrittenSpan;
        ReadOnlySpan<byte> body = hashed[AuditLogFormat.HashSize..];
        AuditLogFormat.HashLine(_hash, hashed, _prevHash);
        int total = body.Length + AuditLogFormat.SuffixLength + 1;
        Span<byte> destination = _pipe!.GetSpan(total);
        body.CopyTo(destination);
        AuditLogFormat.WriteSuffix(_prevHash, destination.Slice(body.Length, AuditLogFormat.SuffixLength));
        destination[total - 1] = (byte)'\n';
        _pipe.Advance(total);
        _pendingBytes += total;
        _nextSeq++;
    }

    private void LoadChainState(byte[] lastLine, string path)
    {
        if (!AuditLogFormat.TrySplit(lastLine, out _, out ReadOnlySpan<byte> hex)
            || !AuditLogFormat.TryParseHex(hex, _prevHash)
            || !AuditLogFormat.TryReadHeader(lastLine, out AuditLogFormat.LineHeader header))
        {
            throw new InvalidDataException($"The last line of '{path}' is not an audit log line, so its hash chain cannot be continued.");
        }

        _nextSeq = header.Seq + 1;
    }

    private static byte[]? ReadLastLine(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return stream.Length == 0 ? null : ReadTail(stream, stream.Length).LastLine;
    }

    /// <summary>Finds the end of the last whole line (everything after it is a torn tail) and returns that line.</summary>
    private static (long ValidEnd, byte[]? LastLine) ReadTail(Stream stream, long length)
    {
        int chunk = 64 * 1024;
        while (true)
        {
            long start = Math.Max(0, length - chunk);
            byte[] buffer = new byte[length - start];
            stream.Position = start;
            stream.ReadExactly(buffer);
            int last = Array.LastIndexOf(buffer, (byte)'\n');
            if (last < 0)
            {
                if (start == 0)
                {
                    return (0, null);
                }

                chunk *= 2;
                continue;
            }

            int previous = last == 0 ? -1 : Array.LastIndexOf(buffer, (byte)'\n', last - 1);
            if (previous < 0 && start > 0)
            {
                chunk *= 2;
                continue;
            }

            return (start + last + 1, buffer[(previous + 1)..last]);
        }
    }

    private readonly record struct QueueItem(AuditEvent? Event, TaskCompletionSource? Flush);

    private static partial class Log
    {
        [LoggerMessage(EventId = 7101, Level = LogLevel.Error, Message = "Writing the audit log '{Path}' failed; the sink is faulted and retries.")]
        public static partial void WriteFailed(ILogger logger, string path, Exception exception);

        [LoggerMessage(EventId = 7102, Level = LogLevel.Information, Message = "The audit log '{Path}' is writable again.")]
        public static partial void Recovered(ILogger logger, string path);

        [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "Removed a torn final line of {Bytes} bytes from the audit log '{Path}' (left by a crash).")]
        public static partial void TornTailRepaired(ILogger logger, long bytes, string path);

        [LoggerMessage(EventId = 7104, Level = LogLevel.Critical, Message = "{Count} audit events could not be written to '{Path}' before the sink closed; they are lost.")]
        public static partial void EventsLost(ILogger logger, long count, string path, Exception? exception);
    }
}
