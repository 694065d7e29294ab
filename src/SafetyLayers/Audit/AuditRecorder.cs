using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace SafetyLayers;

/// <summary>The frozen audit settings and sinks of one <see cref="AuditChatClient"/>; builds and writes events.</summary>
internal sealed class AuditRecorder
{
    private readonly IAuditSink[] _sinks;

    public AuditRecorder(IAuditSink[] sinks, AuditOptions options, TimeProvider timeProvider)
    {
        _sinks = sinks;
        TimeProvider = timeProvider;
        IncludeContent = options.IncludeContent;
        IncludeContentHashes = options.IncludeContentHashes;
        IncludeExcerpts = options.IncludeRedactedExcerpts;
        MaxExcerptLength = options.MaxExcerptLength;
        PolicyVersion = options.PolicyVersion;
        DriftMonitor = options.DriftMonitor;
    }

    public TimeProvider TimeProvider { get; }

    public bool IncludeContent { get; }

    public bool IncludeContentHashes { get; }

    public bool IncludeExcerpts { get; }

    public int MaxExcerptLength { get; }

    public string? PolicyVersion { get; }

    public DriftMonitor? DriftMonitor { get; }

    public IReadOnlyList<IAuditSink> Sinks => _sinks;

    public string? Hash(string? content)
    {
        if (!IncludeContentHashes || content is null)
        {
            return null;
        }

        int max = Encoding.UTF8.GetMaxByteCount(content.Length);
        byte[]? rented = max > 1024 ? System.Buffers.ArrayPool<byte>.Shared.Rent(max) : null;
        try
        {
            Span<byte> buffer = rented ?? stackalloc byte[1024];
            int length = Encoding.UTF8.GetBytes(content, buffer);
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(buffer[..length], hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public string? Excerpt(string? redactedExcerpt) =>
        !IncludeExcerpts || redactedExcerpt is null ? null
        : redactedExcerpt.Length <= MaxExcerptLength ? redactedExcerpt : redactedExcerpt[..MaxExcerptLength];

    /// <summary>Hands the event to every sink. Writes that must wait (a full queue) are kept by <paramref name="scope"/> and awaited when the call ends.</summary>
    public void Write(AuditEvent auditEvent, AuditScope? scope)
    {
        foreach (IAuditSink sink in _sinks)
        {
            try
            {
                ValueTask pending = sink.WriteAsync(auditEvent, CancellationToken.None);
                if (!pending.IsCompletedSuccessfully)
                {
                    Task task = pending.AsTask();
                    if (scope is not null)
                    {
                        scope.AddPending(task);
                    }
                    else
                    {
                        _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None,
                            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    }
                }
            }
            catch (Exception ex) when (ex is AuditUnavailableException or ObjectDisposedException)
            {
                scope?.SetWriteFailure(ex);
            }
        }
    }

    /// <summary>The W3C trace and span ids of <paramref name="activity"/> (normally <see cref="Activity.Current"/>), if it has any.</summary>
    public static (string? TraceId, string? SpanId) TraceOf(Activity? activity) => activity is null || activity.IdFormat != ActivityIdFormat.W3C
            ? (null, null)
            : (activity.TraceId.ToHexString(), activity.SpanId.ToHexString());
}
