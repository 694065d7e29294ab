namespace SafetyLayers;

/// <summary>Represents the options of a <see cref="JsonLinesAuditSink"/>.</summary>
/// <remarks>Every property has a setter so the options bind from configuration (section <c>SafetyLayers:Audit:JsonLines</c>).</remarks>
public sealed class JsonLinesAuditSinkOptions
{
    /// <summary>Gets or sets the path of the log file; rotated segments are named <c>NAME.1.EXT</c>, <c>NAME.2.EXT</c>, ...</summary>
    /// <value>The default is <see langword="null"/>, which is invalid: a path is required.</value>
    public string? Path { get; set; }

    /// <summary>Gets or sets a short name for the sink used as the <c>safetylayers.audit.sink</c> metric tag.</summary>
    /// <value>The default is <see langword="null"/>: the file name of <see cref="Path"/>.</value>
    public string? Name { get; set; }

    /// <summary>Gets or sets how many events may wait in the queue between the request path and the writer.</summary>
    /// <value>The default is 65,536.</value>
    public int QueueCapacity { get; set; } = 65_536;

    /// <summary>Gets or sets what happens when the queue is full.</summary>
    /// <value>The default is <see cref="AuditQueueFullMode.Wait"/>: nothing is lost.</value>
    public AuditQueueFullMode FullMode { get; set; } = AuditQueueFullMode.Wait;

    /// <summary>Gets or sets the longest time an accepted event stays only in memory while the writer is idle.</summary>
    /// <value>The default is 100 milliseconds.</value>
    /// <remarks>The writer writes and flushes as soon as it has drained the queue, so under load batches are flushed sooner.</remarks>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Gets or sets the largest number of events written in one batch (one flush).</summary>
    /// <value>The default is 4,096.</value>
    public int MaxBatchSize { get; set; } = 4_096;

    /// <summary>Gets or sets a value indicating whether each batch is forced to the storage device (fsync) before it counts as durable.</summary>
    /// <value>The default is <see langword="false"/>: a batch is durable once the operating system has it, which survives a process crash but not a power loss.</value>
    public bool FlushToDisk { get; set; }

    /// <summary>Gets or sets the size in bytes after which the log rotates to a new segment.</summary>
    /// <value>The default is <see langword="null"/>: no rotation.</value>
    public long? MaxFileSizeBytes { get; set; }

    /// <summary>Gets or sets an HMAC-SHA256 key for the hash chain; without it the chain is plain SHA-256.</summary>
    /// <value>The default is <see langword="null"/>. A keyed chain cannot be recomputed by someone who edits the file without the key.</value>
    public byte[]? HmacKey { get; set; }

    /// <summary>Gets or sets what happens to writes that cannot be queued while the sink is faulted.</summary>
    /// <value>The default is <see cref="AuditFailurePolicy.Block"/>.</value>
    public AuditFailurePolicy FailurePolicy { get; set; } = AuditFailurePolicy.Block;

    /// <summary>Gets or sets how long the writer waits before it retries after an I/O error.</summary>
    /// <value>The default is 1 second.</value>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    internal JsonLinesAuditSinkOptions Clone() => (JsonLinesAuditSinkOptions)MemberwiseClone();

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            throw new InvalidOperationException("JsonLinesAuditSinkOptions.Path is required.");
        }

        if (QueueCapacity < 1 || MaxBatchSize < 1)
        {
            throw new InvalidOperationException("JsonLinesAuditSinkOptions.QueueCapacity and MaxBatchSize must be positive.");
        }

        if (FlushInterval <= TimeSpan.Zero || RetryInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("JsonLinesAuditSinkOptions.FlushInterval and RetryInterval must be positive.");
        }

        if (MaxFileSizeBytes is <= 0)
        {
            throw new InvalidOperationException("JsonLinesAuditSinkOptions.MaxFileSizeBytes must be positive when set.");
        }
    }
}
