namespace SafetyLayers;

/// <summary>Represents the options for an <see cref="AuditChatClient"/>: where audit events go and what they may contain.</summary>
/// <remarks>
/// Every scalar property has a setter, so the options bind from configuration (section <c>SafetyLayers:Audit</c>, with the
/// file sink under <c>SafetyLayers:Audit:JsonLines</c>). The client copies what it needs when it is built.
/// </remarks>
public sealed class AuditOptions
{
    /// <summary>Gets the sinks the caller owns; the client writes to them but never disposes them.</summary>
    /// <value>The default is an empty list.</value>
    public IList<IAuditSink> Sinks { get; } = [];

    /// <summary>Gets or sets the options of a JSON Lines file sink that the client creates, owns and closes when it is disposed.</summary>
    /// <value>The default is <see langword="null"/>: no file sink. <see cref="ToJsonLines(string)"/> sets it.</value>
    public JsonLinesAuditSinkOptions? JsonLines { get; set; }

    /// <summary>Gets or sets a value indicating whether events are also written to an <see cref="Microsoft.Extensions.Logging.ILogger"/> (category <c>SafetyLayers.Audit</c>).</summary>
    /// <value>The default is <see langword="false"/>. It needs an <see cref="Microsoft.Extensions.Logging.ILoggerFactory"/>.</value>
    public bool LogEvents { get; set; }

    /// <summary>Gets or sets a value indicating whether events carry the raw text they concern (<see cref="AuditEvent.Content"/>).</summary>
    /// <value>The default is <see langword="false"/>. Turning it on copies prompts, responses and whatever a guard redacted into the audit trail.</value>
    public bool IncludeContent { get; set; }

    /// <summary>Gets or sets a value indicating whether events carry a SHA-256 of the text they concern (<see cref="AuditEvent.ContentHash"/>).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool IncludeContentHashes { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether events carry the redacted excerpts that guards report (<see cref="AuditEvent.Excerpt"/>).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool IncludeRedactedExcerpts { get; set; } = true;

    /// <summary>Gets or sets the longest excerpt kept, in characters.</summary>
    /// <value>The default is 160.</value>
    public int MaxExcerptLength { get; set; } = 160;

    /// <summary>Gets or sets the policy version stamped on events whose layer does not report its own.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? PolicyVersion { get; set; }

    /// <summary>Gets or sets what happens to requests while a sink cannot write.</summary>
    /// <value>The default is <see cref="AuditFailurePolicy.Block"/> (fail closed). It also applies to the file sink the client creates.</value>
    public AuditFailurePolicy FailurePolicy { get; set; } = AuditFailurePolicy.Block;

    /// <summary>Gets or sets a drift monitor that the client feeds with every request and tool decision; its alerts are audited.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public DriftMonitor? DriftMonitor { get; set; }

    /// <summary>Gets or sets a callback invoked when a request finds a sink newly faulted (once per fault, not per request).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public Action<OnAuditSinkFaultArguments>? OnSinkFault { get; set; }

    /// <summary>Writes events to a hash-chained JSON Lines file at <paramref name="path"/>, with default file options.</summary>
    /// <param name="path">The path of the log file.</param>
    /// <returns>These options, so calls can be chained.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is <see langword="null"/>, empty or white space.</exception>
    public AuditOptions ToJsonLines(string path) => ToJsonLines(path, null);

    /// <summary>Writes events to a hash-chained JSON Lines file at <paramref name="path"/>.</summary>
    /// <param name="path">The path of the log file.</param>
    /// <param name="configure">An optional callback that adjusts the file sink's options.</param>
    /// <returns>These options, so calls can be chained.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is <see langword="null"/>, empty or white space.</exception>
    public AuditOptions ToJsonLines(string path, Action<JsonLinesAuditSinkOptions>? configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        JsonLines ??= new JsonLinesAuditSinkOptions();
        JsonLines.Path = path;
        configure?.Invoke(JsonLines);
        return this;
    }

    internal void Validate()
    {
        JsonLines?.Validate();
        if (MaxExcerptLength < 0)
        {
            throw new InvalidOperationException("AuditOptions.MaxExcerptLength must not be negative.");
        }
    }

    /// <summary>Returns a copy whose sink list can be extended without touching these this.</summary>
    internal AuditOptions Clone()
    {
        var copy = new AuditOptions
        {
            JsonLines = JsonLines,
            LogEvents = LogEvents,
            IncludeContent = IncludeContent,
            IncludeContentHashes = IncludeContentHashes,
            IncludeRedactedExcerpts = IncludeRedactedExcerpts,
            MaxExcerptLength = MaxExcerptLength,
            PolicyVersion = PolicyVersion,
            FailurePolicy = FailurePolicy,
            DriftMonitor = DriftMonitor,
            OnSinkFault = OnSinkFault,
        };
        foreach (IAuditSink sink in Sinks)
        {
            copy.Sinks.Add(sink);
        }

        return copy;
    }
}
