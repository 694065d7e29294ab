namespace SafetyLayers;

/// <summary>
/// The audit state of one chat call, ambient (an <see cref="AsyncLocal{T}"/>) while the call runs, so that the layers inside
/// <see cref="AuditChatClient"/> can report verdicts without a reference to it. Use <see cref="GuardrailAudit"/> to report.
/// </summary>
/// <remarks>
/// The scope flows into everything the call awaits: the inner chat clients, streamed updates (the audit client
/// re-establishes it before every <c>MoveNextAsync</c> of the inner stream, because an async iterator resumes on its
/// caller's context), and the function-invocation loop and the tools it runs. Reports from several threads at once are safe.
/// </remarks>
internal sealed class AuditScope
{
    private const int RefusedFlag = 1;
    private const int RedactedFlag = 2;
    private const int BlockedFlag = 4;

    private static readonly AsyncLocal<AuditScope?> s_current = new();

    private readonly Lock _lock = new();
    private string[]? _ruleIds;
    private List<Task>? _pending;
    private Exception? _writeFailure;
    private int _strongest;
    private int _flags;

    public AuditScope(AuditRecorder recorder, string requestId, string? conversationId, bool streaming)
    {
        Recorder = recorder;
        RequestId = requestId;
        ConversationId = conversationId;
        Streaming = streaming;
    }

    /// <summary>Gets or sets the scope of the call that is running on this async flow, if any.</summary>
    public static AuditScope? Current
    {
        get => s_current.Value;
        set => s_current.Value = value;
    }

    public AuditRecorder Recorder { get; }

    public string RequestId { get; }

    public string? ConversationId { get; set; }

    public bool Streaming { get; }

    public GuardrailAction Strongest => (GuardrailAction)Volatile.Read(ref _strongest);

    public bool Refused => (Volatile.Read(ref _flags) & RefusedFlag) != 0;

    public bool Redacted => (Volatile.Read(ref _flags) & RedactedFlag) != 0;

    public bool Blocked => (Volatile.Read(ref _flags) & BlockedFlag) != 0;

    /// <summary>Gets the union of the rule ids of every event recorded so far, in the order they were first seen.</summary>
    /// <value>An array that is never changed once published (a new one replaces it when an id is added), or <see langword="null"/>.</value>
    public IReadOnlyList<string>? RuleIds => Volatile.Read(ref _ruleIds);

    /// <summary>Folds an event of this call (built with the <see cref="AuditEvent"/> constructor that takes a scope) into the call's summary, and writes it.</summary>
    public void Record(AuditEvent auditEvent)
    {
        Observe(auditEvent);
        Recorder.Write(auditEvent, this);
    }

    /// <summary>Records an exception: only its type, and its message only when content is included.</summary>
    public void RecordError(string layer, Exception exception)
    {
        Record(new AuditEvent(this, AuditEventKind.Error, layer, System.Diagnostics.Activity.Current)
        {
            ErrorType = exception.GetType().FullName,
            Detail = Recorder.IncludeContent ? exception.Message : null,
        });
    }

    public void AddPending(Task task)
    {
        lock (_lock)
        {
            (_pending ??= []).Add(task);
        }
    }

    public void SetWriteFailure(Exception exception) => Interlocked.CompareExchange(ref _writeFailure, exception, null);

    /// <summary>Waits for writes that had to wait for queue space; returns the first write failure, if any.</summary>
    public async Task<Exception?> DrainAsync()
    {
        Task[]? pending;
        lock (_lock)
        {
            pending = _pending?.ToArray();
        }

        if (pending is not null)
        {
            foreach (Task task in pending)
            {
                try
                {
                    await task.ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is AuditUnavailableException or ObjectDisposedException)
                {
                    SetWriteFailure(ex);
                }
            }
        }

        return Volatile.Read(ref _writeFailure);
    }

    private void Observe(AuditEvent auditEvent)
    {
        if (auditEvent.Action is GuardrailAction action)
        {
            int value = (int)action;
            int current = Volatile.Read(ref _strongest);
            while (value > current)
            {
                int seen = Interlocked.CompareExchange(ref _strongest, value, current);
                if (seen == current)
                {
                    break;
                }

                current = seen;
            }

            bool contentVerdict = auditEvent.Kind is AuditEventKind.InputVerdict or AuditEventKind.OutputVerdict or AuditEventKind.StreamStopped;
            int flags = (action == GuardrailAction.Redact ? RedactedFlag : 0)
                | (contentVerdict && action == GuardrailAction.Block ? BlockedFlag : 0)
                | (auditEvent.Kind is AuditEventKind.OutputVerdict or AuditEventKind.StreamStopped
                    && string.Equals(auditEvent.Category, GuardrailAudit.RefusalCategory, StringComparison.Ordinal) ? RefusedFlag : 0);
            if ((Volatile.Read(ref _flags) & flags) != flags)
            {
                // Only the first event that sets a flag pays for the interlocked write (and its cache-line transfer).
                Interlocked.Or(ref _flags, flags);
            }
        }

        if (auditEvent.RuleIds is { } ids)
        {
            AddRuleIds(ids);
        }
    }

    /// <summary>Adds ids to the union without a lock: copy on write, published with a compare-exchange, nothing allocated when every id is known.</summary>
    private void AddRuleIds(IReadOnlyList<string> ids)
    {
        string[]? current = Volatile.Read(ref _ruleIds);
        while (true)
        {
            string[]? union = Union(current, ids);
            if (ReferenceEquals(union, current))
            {
                return;
            }

            string[]? seen = Interlocked.CompareExchange(ref _ruleIds, union, current);
            if (ReferenceEquals(seen, current))
            {
                return;
            }

            current = seen;
        }
    }

    private static string[]? Union(string[]? known, IReadOnlyList<string> ids)
    {
        List<string>? added = null;
        for (int i = 0; i < ids.Count; i++)
        {
            string id = ids[i];
            if ((known is null || Array.IndexOf(known, id) < 0) && (added is null || !added.Contains(id)))
            {
                (added ??= []).Add(id);
            }
        }

        return added is null ? known : [.. known ?? [], .. added];
    }
}
