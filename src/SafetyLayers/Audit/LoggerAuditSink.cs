using Microsoft.Extensions.Logging;

namespace SafetyLayers;

/// <summary>An <see cref="IAuditSink"/> that writes each event as a structured <see cref="ILogger"/> entry.</summary>
/// <remarks>
/// Entries are logged at <see cref="LogLevel.Warning"/> for blocks, stopped streams, errors and drift alerts, and at
/// <see cref="LogLevel.Information"/> otherwise. The entry carries the event's kind, layer, action, rule ids and ids; message
/// content is never logged by this sink. The hash chain and crash-safety of <see cref="JsonLinesAuditSink"/> do not apply.
/// </remarks>
public sealed partial class LoggerAuditSink : IAuditSink
{
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="LoggerAuditSink"/> class.</summary>
    /// <param name="logger">The logger that receives the entries.</param>
    /// <exception cref="ArgumentNullException"><paramref name="logger"/> is <see langword="null"/>.</exception>
    public LoggerAuditSink(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    /// <inheritdoc/>
    public AuditSinkHealth Health => AuditSinkHealth.Healthy;

    /// <inheritdoc/>
    public ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        LogLevel level = auditEvent.Action == GuardrailAction.Block || auditEvent.Kind is AuditEventKind.StreamStopped
            or AuditEventKind.Error or AuditEventKind.DriftAlert ? LogLevel.Warning : LogLevel.Information;
        if (_logger.IsEnabled(level))
        {
            LogAuditEvent(_logger, level, auditEvent.Kind, auditEvent.Layer, auditEvent.Action,
                auditEvent.RuleIds is null ? null : string.Join(',', auditEvent.RuleIds), auditEvent.Category, auditEvent.ToolName,
                auditEvent.RequestId, auditEvent.ConversationId, auditEvent.Detail);
        }

        return default;
    }

    /// <inheritdoc/>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => default;

    [LoggerMessage(EventId = 7001, EventName = "AuditEvent",
        Message = "Audit {Kind}: layer={Layer} action={Action} rules={RuleIds} category={Category} tool={ToolName} request={RequestId} conversation={ConversationId} {Detail}")]
    private static partial void LogAuditEvent(ILogger logger, LogLevel level, AuditEventKind kind, string? layer, GuardrailAction? action,
        string? ruleIds, string? category, string? toolName, string? requestId, string? conversationId, string? detail);
}
