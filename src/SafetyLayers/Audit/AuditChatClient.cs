using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace SafetyLayers;

/// <summary>
/// A chat client that records one <see cref="AuditEventKind.Request"/> event per call and collects the verdicts that the
/// layers inside it report, writing them to <see cref="IAuditSink"/>s. It belongs outermost in the pipeline.
/// </summary>
/// <remarks>
/// <para>
/// While a call runs, an ambient audit scope lets the inner layers report (see <c>GuardrailAudit</c> in the source and
/// <c>docs/audit.md</c>), including inside streamed responses and inside the function-invocation loop. Events are built
/// from strings and numbers at the moment they are reported, so later mutation of messages by MEAI does not change them.
/// </para>
/// <para>
/// With <see cref="AuditFailurePolicy.Block"/>, a call that finds a faulted sink fails with
/// <see cref="AuditUnavailableException"/> before the model is called. Disposing the client flushes and closes the sinks it
/// created (the file sink of <see cref="AuditOptions.JsonLines"/>), never the caller's <see cref="AuditOptions.Sinks"/>.
/// </para>
/// </remarks>
public sealed partial class AuditChatClient : DelegatingChatClient
{
    /// <summary>Gets the client this layer wraps (tests pin the pipeline order with it).</summary>
    internal IChatClient Inner => InnerClient;

    private readonly AuditRecorder _recorder;
    private readonly JsonLinesAuditSink? _ownedFileSink;
    private readonly AuditFailurePolicy _failurePolicy;
    private readonly Action<OnAuditSinkFaultArguments>? _onSinkFault;
    private readonly int[] _observedHealth;
    private readonly ILogger? _logger;
    private readonly Action<DriftAlert>? _driftListener;

    /// <summary>Initializes a new instance of the <see cref="AuditChatClient"/> class.</summary>
    /// <param name="innerClient">The client that receives the calls.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults (no sinks: metrics only); what the client needs is copied.</param>
    /// <param name="loggerFactory">An optional logger factory, for <see cref="AuditOptions.LogEvents"/> and the file sink's errors.</param>
    /// <param name="timeProvider">An optional time source for event timestamps.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The options are invalid.</exception>
    public AuditChatClient(IChatClient innerClient, AuditOptions? options = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
        : base(innerClient)
    {
        options ??= new AuditOptions();
        options.Validate();
        timeProvider ??= TimeProvider.System;
        _logger = loggerFactory?.CreateLogger("SafetyLayers.Audit");
        List<IAuditSink> sinks = [.. options.Sinks];
        if (options.JsonLines is not null)
        {
            JsonLinesAuditSinkOptions fileOptions = options.JsonLines.Clone();
            fileOptions.FailurePolicy = options.FailurePolicy;
            _ownedFileSink = new JsonLinesAuditSink(fileOptions, _logger, timeProvider);
            sinks.Add(_ownedFileSink);
        }

        if (options.LogEvents && _logger is not null)
        {
            sinks.Add(new LoggerAuditSink(_logger));
        }

        _recorder = new AuditRecorder([.. sinks], options, timeProvider);
        _failurePolicy = options.FailurePolicy;
        _onSinkFault = options.OnSinkFault;
        _observedHealth = new int[sinks.Count];
        if (options.DriftMonitor is { } monitor)
        {
            _driftListener = RecordDriftAlert;
            monitor.AddListener(_driftListener);
        }
    }

    /// <summary>Gets the sinks this client writes to.</summary>
    public IReadOnlyList<IAuditSink> Sinks => _recorder.Sinks;

    /// <inheritdoc/>
    public override async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        List<ChatMessage> input = [.. messages];
        AuditScope scope = BeginCall(input, options, streaming: false, out long started, out string? inputText);
        ChatResponse? response = null;
        Exception? error = null;
        try
        {
            CheckSinks();
            AuditScope.Current = scope;
            response = await base.GetResponseAsync(input, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            error = ex;
            throw;
        }
        finally
        {
            AuditScope.Current = null;
            await EndCallAsync(scope, started, inputText, response?.FinishReason, response?.ConversationId, error, stoppedEarly: false).ConfigureAwait(false);
        }

        return response;
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        List<ChatMessage> input = [.. messages];
        AuditScope scope = BeginCall(input, options, streaming: true, out long started, out string? inputText);
        ChatFinishReason? finishReason = null;
        string? conversationId = null;
        Exception? error = null;
        bool completed = false;
        IAsyncEnumerator<ChatResponseUpdate>? enumerator = null;
        try
        {
            try
            {
                CheckSinks();
                AuditScope.Current = scope;
                enumerator = base.GetStreamingResponseAsync(input, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            }
            catch (Exception ex)
            {
                error = ex;
                throw;
            }

            while (true)
            {
                try
                {
                    // An async iterator resumes on its consumer's execution context: re-establish the scope every time.
                    AuditScope.Current = scope;
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        completed = true;
                        break;
                    }
                }
                catch (Exception ex)
                {
                    error = ex;
                    throw;
                }
                finally
                {
                    AuditScope.Current = null;
                }

                ChatResponseUpdate update = enumerator.Current;
                finishReason = update.FinishReason ?? finishReason;
                conversationId = update.ConversationId ?? conversationId;
                yield return update;
            }
        }
        finally
        {
            if (enumerator is not null)
            {
                AuditScope.Current = scope;
                await enumerator.DisposeAsync().ConfigureAwait(false);
                AuditScope.Current = null;
            }

            await EndCallAsync(scope, started, inputText, finishReason, conversationId, error, stoppedEarly: !completed && error is null).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null && _ownedFileSink is not null && serviceType.IsInstanceOfType(_ownedFileSink) && serviceType != typeof(object))
        {
            return _ownedFileSink;
        }

        return base.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (_driftListener is not null)
            {
                _recorder.DriftMonitor?.RemoveListener(_driftListener);
            }

            _ownedFileSink?.Dispose();
        }

        base.Dispose(disposing);
    }

    private AuditScope BeginCall(List<ChatMessage> input, ChatOptions? options, bool streaming, out long started, out string? inputText)
    {
        started = Stopwatch.GetTimestamp();
        inputText = _recorder.IncludeContentHashes || _recorder.IncludeContent ? JoinText(input) : null;
        string requestId = Guid.CreateVersion7(_recorder.TimeProvider.GetUtcNow()).ToString("N");
        return new AuditScope(_recorder, requestId, options?.ConversationId, streaming);
    }

    private async Task EndCallAsync(AuditScope scope, long started, string? inputText, ChatFinishReason? finishReason, string? conversationId,
        Exception? error, bool stoppedEarly)
    {
        if (conversationId is not null)
        {
            scope.ConversationId ??= conversationId;
        }

        string outcome = error switch
        {
            null => stoppedEarly ? "abandoned" : "completed",
            AuditUnavailableException => "refused_audit_unavailable",
            OperationCanceledException => "canceled",
            _ => "error",
        };
        if (error is not null and not OperationCanceledException and not AuditUnavailableException)
        {
            scope.RecordError(GuardrailAudit.AuditLayer, error);
        }

        GuardrailAction strongest = scope.Strongest;
        scope.Record(new AuditEvent(scope, AuditEventKind.Request, GuardrailAudit.AuditLayer, Activity.Current, scope.RuleIds)
        {
            Action = strongest,
            LatencyMilliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            Outcome = outcome,
            FinishReason = finishReason?.Value,
            ContentHash = _recorder.Hash(inputText),
            Content = _recorder.IncludeContent ? inputText : null,
        });
        SafetyLayersTelemetry.Requests.Add(1,
            new KeyValuePair<string, object?>(SafetyLayersTelemetry.ActionTag, GuardrailAudit.ActionName(strongest)),
            new KeyValuePair<string, object?>("safetylayers.outcome", outcome));
        if (error is not AuditUnavailableException)
        {
            _recorder.DriftMonitor?.RecordRequest(scope.Refused, scope.Blocked, scope.Redacted);
        }

        Exception? writeFailure = await scope.DrainAsync().ConfigureAwait(false);
        if (writeFailure is not null && error is null && _failurePolicy == AuditFailurePolicy.Block)
        {
            throw new AuditUnavailableException("The audit trail could not record the request.", writeFailure);
        }
    }

    private void CheckSinks()
    {
        IReadOnlyList<IAuditSink> sinks = _recorder.Sinks;
        for (int i = 0; i < sinks.Count; i++)
        {
            IAuditSink sink = sinks[i];
            AuditSinkHealth health = sink.Health;
            if (Interlocked.Exchange(ref _observedHealth[i], (int)health) != (int)health && health == AuditSinkHealth.Faulted)
            {
                Exception? lastError = (sink as JsonLinesAuditSink)?.LastError;
                if (_logger is not null)
                {
                    LogSinkFaulted(_logger, sink.GetType().Name, _failurePolicy, lastError);
                }

                _onSinkFault?.Invoke(new OnAuditSinkFaultArguments(sink, lastError));
            }

            if (health == AuditSinkHealth.Faulted && _failurePolicy == AuditFailurePolicy.Block)
            {
                throw new AuditUnavailableException(
                    "The audit trail cannot be written, so the request was refused (AuditFailurePolicy.Block).", (sink as JsonLinesAuditSink)?.LastError);
            }
        }
    }

    private void RecordDriftAlert(DriftAlert alert)
    {
        (string? traceId, string? spanId) = AuditRecorder.TraceOf(Activity.Current);
        _recorder.Write(
            new AuditEvent
            {
                Kind = AuditEventKind.DriftAlert,
                Timestamp = alert.DetectedAt,
                TraceId = traceId,
                SpanId = spanId,
                Layer = "monitoring",
                Category = alert.Signal,
                Detail = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{alert.Signal}: {alert.BaselineRate:P2} -> {alert.CurrentRate:P2} (p = {alert.PValue:G3})"),
                Drift = alert,
            },
            scope: null);
    }

    private static string JoinText(List<ChatMessage> messages)
    {
        if (messages.Count == 1)
        {
            return messages[0].Text;
        }

        var builder = new StringBuilder();
        foreach (ChatMessage message in messages)
        {
            builder.Append(message.Role.Value).Append(':').Append(message.Text).Append('\n');
        }

        return builder.ToString();
    }

    [LoggerMessage(EventId = 7201, Level = LogLevel.Error, Message = "Audit sink {Sink} is faulted; requests are handled by policy {Policy}.")]
    private static partial void LogSinkFaulted(ILogger logger, string sink, AuditFailurePolicy policy, Exception? exception);
}
