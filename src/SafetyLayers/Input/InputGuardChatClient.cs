using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SafetyLayers;

/// <summary>A delegating chat client that checks the messages of each request before the model sees them.</summary>
/// <remarks>
/// <para>
/// The guard checks user messages, tool results (<see cref="FunctionResultContent"/>) and messages of other agents (assistant
/// messages with an <see cref="ChatMessage.AuthorName"/>), and never assumes the model will refuse. The verdict of each text
/// is cached (bounded, expiring), so earlier turns of a conversation cost a lookup, not a scan.
/// </para>
/// <para>
/// Block (and RequireApproval, which has no approver at this layer) answers with a refusal whose finish reason is
/// <see cref="ChatFinishReason.ContentFilter"/>, or throws <see cref="GuardrailViolationException"/> when
/// <see cref="InputGuardOptions.ThrowOnBlock"/> is set; the inner client is not called. Redact sends redacted copies of the
/// affected messages; the caller's list and messages are never changed. Flag passes and records. An exception inside the guard
/// blocks the request (fail closed) unless <see cref="InputGuardOptions.FailOpen"/> is set.
/// </para>
/// <para>The client is thread-safe. Its options are compiled at construction; reloaded options swap in atomically.</para>
/// </remarks>
public sealed class InputGuardChatClient : DelegatingChatClient
{
    /// <summary>The key under which refusal responses carry the <see cref="GuardrailVerdict"/> in <see cref="ChatResponse.AdditionalProperties"/>.</summary>
    internal const string VerdictPropertyName = "safetylayers.verdict";

    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private volatile State _state;
    private IDisposable? _changeRegistration;

    /// <summary>Initializes a new instance of the <see cref="InputGuardChatClient"/> class.</summary>
    /// <param name="innerClient">The client that receives the checked requests.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults (the default input policy).</param>
    /// <param name="loggerFactory">The logger factory for verdicts and guard failures, or <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock of the verdict cache, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The options are invalid.</exception>
    public InputGuardChatClient(IChatClient innerClient, InputGuardOptions? options = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
        : base(innerClient)
    {
        _logger = (ILogger?)loggerFactory?.CreateLogger<InputGuardChatClient>() ?? NullLogger.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _state = Compile(options ?? new InputGuardOptions(), "InputGuardOptions.");
    }

    /// <summary>Gets the number of cached verdicts (tests and diagnostics).</summary>
    internal int CachedVerdictCount => _state.Cache?.Count ?? 0;

    /// <inheritdoc/>
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        List<ChatMessage> list = [.. messages];
        (IEnumerable<ChatMessage> checkedMessages, ChatResponse? refusal) = Check(_state, list, cancellationToken);
        return refusal ?? await base.GetResponseAsync(checkedMessages, options, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        List<ChatMessage> list = [.. messages];
        (IEnumerable<ChatMessage> checkedMessages, ChatResponse? refusal) = Check(_state, list, cancellationToken);
        if (refusal is not null)
        {
            foreach (ChatResponseUpdate update in refusal.ToChatResponseUpdates())
            {
                yield return update;
            }

            yield break;
        }

        await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(checkedMessages, options, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    /// <summary>Replaces the compiled options; invalid options are logged and ignored, so a bad reload keeps the guard running.</summary>
    internal void Reconfigure(InputGuardOptions options)
    {
        try
        {
            _state = Compile(options, "SafetyLayers:Input:");
        }
        catch (InvalidOperationException ex)
        {
            GuardrailsLog.ReconfigurationRejected(_logger, ex.Message);
        }
    }

    /// <summary>Gets the next client of the pipeline (tests pin the layer order with it).</summary>
    internal IChatClient Inner => InnerClient;

    /// <summary>Takes ownership of an options change subscription, disposed with the client.</summary>
    internal void TrackChanges(IDisposable? registration) => _changeRegistration = registration;

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _changeRegistration?.Dispose();
        }

        base.Dispose(disposing);
    }

    private State Compile(InputGuardOptions options, string prefix)
    {
        var errors = new List<string>();
        options.AddErrors(errors, prefix);
        if (errors.Count > 0)
        {
            Throw.InvalidOptions(errors);
        }

        VerdictCache? cache = options.VerdictCacheSize > 0 ? new VerdictCache(options.VerdictCacheSize, options.VerdictCacheExpiration, _timeProvider) : null;
        return new State(options.Clone(), options.ResolveScanner(prefix), cache);
    }

    private (IEnumerable<ChatMessage> Messages, ChatResponse? Refusal) Check(State state, List<ChatMessage> list, CancellationToken cancellationToken)
    {
        InputGuardOptions options = state.Options;
        if (!options.Enabled)
        {
            return (list, null);
        }

        cancellationToken.ThrowIfCancellationRequested();
        List<GuardrailFinding>? findings = null;
        List<ChatMessage>? rewritten = null;
        GuardrailAction action = GuardrailAction.Allow;
        Exception? error = null;
        try
        {
            for (int m = 0; m < list.Count; m++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ChatMessage message = list[m];
                if (!ShouldScan(options, message))
                {
                    continue;
                }

                IList<AIContent> contents = message.Contents;
                List<AIContent>? newContents = null;
                for (int c = 0; c < contents.Count; c++)
                {
                    string? text = GetText(contents[c]);
                    if (string.IsNullOrEmpty(text))
                    {
                        continue;
                    }

                    TextScan scan = Scan(state, text);
                    if (!scan.HasFindings)
                    {
                        continue;
                    }

                    findings ??= [];
                    foreach (TextFinding finding in scan.Findings)
                    {
                        findings.Add(new GuardrailFinding(finding.RuleId, finding.Category, finding.Action, m, finding.Index, finding.Length));
                        action = finding.Action > action ? finding.Action : action;
                    }

                    if (scan.Verdict == GuardrailAction.Redact)
                    {
                        string redacted = StreamingRedactor.Filter(state.Scanner, PlaceholderFormatter.Default, text, out _, null);
                        newContents ??= [.. contents];
                        newContents[c] = WithText(contents[c], redacted);
                    }
                }

                // Text split over several parts is also scanned joined, so a phrase cut in two cannot slip through.
                if (CheckAcrossParts(state, contents, m, ref findings, ref action) is { } merged)
                {
                    newContents = merged;
                }

                if (newContents is not null)
                {
                    ChatMessage copy = message.Clone();
                    copy.Contents = newContents;
                    rewritten ??= [.. list];
                    rewritten[m] = copy;
                }
            }

            if (options.MaxTokens > 0 && TokenLimit.Check(list, options.MaxTokens, options.TokenEncoding) is { } overflow)
            {
                (findings ??= []).Add(overflow);
                action = GuardrailAction.Block;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            error = ex;
        }

        bool monitorOnly = options.MonitorOnly;
        GuardrailVerdict verdict;
        if (error is not null)
        {
            bool enforced = !options.FailOpen && !monitorOnly;
            verdict = new GuardrailVerdict(GuardrailStage.Input, options.FailOpen ? action : GuardrailAction.Block, (IReadOnlyList<GuardrailFinding>?)findings ?? [], enforced, error);
        }
        else
        {
            verdict = new GuardrailVerdict(GuardrailStage.Input, action, (IReadOnlyList<GuardrailFinding>?)findings ?? [], !monitorOnly);
        }

        GuardrailsLog.Report(_logger, options.OnVerdict, verdict);
        if (monitorOnly || (error is not null && options.FailOpen))
        {
            return (list, null);
        }

        if (verdict.Action >= GuardrailAction.RequireApproval)
        {
            if (options.ThrowOnBlock)
            {
                throw new GuardrailViolationException(
                    error is null ? "The input guard blocked the request." : "The input guard failed and blocked the request (fail closed).", verdict);
            }

            var refusal = new ChatResponse(new ChatMessage(ChatRole.Assistant, options.RefusalMessage))
            {
                FinishReason = ChatFinishReason.ContentFilter,
                CreatedAt = _timeProvider.GetUtcNow(),
                AdditionalProperties = new() { [VerdictPropertyName] = verdict },
            };
            return (list, refusal);
        }

        return (rewritten ?? list, null);
    }

    /// <summary>
    /// Scans the text contents of a message joined (as <see cref="ChatMessage.Text"/> joins them) and adds the findings that cross a
    /// boundary between parts. When one of them is redacted, the text parts are replaced by one part holding the redacted joined text.
    /// </summary>
    /// <returns>The new contents when they changed, else <see langword="null"/>.</returns>
    private static List<AIContent>? CheckAcrossParts(State state, IList<AIContent> contents, int messageIndex, ref List<GuardrailFinding>? findings,
        ref GuardrailAction action)
    {
        int parts = 0;
        for (int c = 0; c < contents.Count; c++)   // by index: a foreach over the IList boxes an enumerator for every message
        {
            parts += contents[c] is TextContent { Text.Length: > 0 } ? 1 : 0;
        }

        if (parts < 2)
        {
            return null;
        }

        var bounds = new List<int>(parts);
        var joined = new System.Text.StringBuilder();
        foreach (AIContent content in contents)
        {
            if (content is TextContent { Text.Length: > 0 } text)
            {
                joined.Append(text.Text);
                bounds.Add(joined.Length);
            }
        }

        string whole = joined.ToString();
        TextScan scan = Scan(state, whole);
        bool redact = false;
        foreach (TextFinding finding in scan.Findings)
        {
            bool crosses = bounds.Exists(end => finding.Index < end && finding.End > end);
            if (!crosses)
            {
                continue;
            }

            (findings ??= []).Add(new GuardrailFinding(finding.RuleId, finding.Category, finding.Action, messageIndex, finding.Index, finding.Length));
            action = finding.Action > action ? finding.Action : action;
            redact |= finding.Action == GuardrailAction.Redact;
        }

        if (!redact)
        {
            return null;
        }

        string redacted = StreamingRedactor.Filter(state.Scanner, PlaceholderFormatter.Default, whole, out _, null);
        var merged = new List<AIContent>(contents.Count - parts + 1);
        bool placed = false;
        foreach (AIContent content in contents)
        {
            if (content is not TextContent { Text.Length: > 0 })
            {
                merged.Add(content);
            }
            else if (!placed)
            {
                merged.Add(WithText(content, redacted));
                placed = true;
            }
        }

        return merged;
    }

    private static TextScan Scan(State state, string text)
    {
        if (state.Cache is { } cache)
        {
            if (cache.TryGet(text, out TextScan cached))
            {
                return cached;
            }

            TextScan scan = state.Scanner.Scan(text);
            cache.Add(text, scan);
            return scan;
        }

        return state.Scanner.Scan(text);
    }

    private static bool ShouldScan(InputGuardOptions options, ChatMessage message)
    {
        if (message.Role == ChatRole.System)
        {
            return options.ScanSystemMessages;
        }

        if (message.Role == ChatRole.Assistant)
        {
            return options.ScanAssistantMessages || !string.IsNullOrEmpty(message.AuthorName);
        }

        return true;   // user, tool and any custom role
    }

    private static string? GetText(AIContent content) => content switch
    {
        TextContent text => text.Text,
        FunctionResultContent result => ResultText(result.Result),
        _ => null,
    };

    private static string? ResultText(object? result)
    {
        switch (result)
        {
            case null:
                return null;
            case string text:
                return text;
            case TextContent content:
                return content.Text;
            case IEnumerable<AIContent> contents:
                return string.Join("\n", contents.OfType<TextContent>().Select(t => t.Text));
            case JsonElement { ValueKind: JsonValueKind.String } element:
                return element.GetString();
            case JsonElement element:
                return element.GetRawText();
            default:
                try
                {
                    return JsonSerializer.Serialize(result, AIJsonUtilities.DefaultOptions.GetTypeInfo(result.GetType()));
                }
                catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException)
                {
                    return result.ToString();
                }
        }
    }

    private static AIContent WithText(AIContent content, string text) => content switch
    {
        FunctionResultContent result => new FunctionResultContent(result.CallId, text)
        {
            Exception = result.Exception,
            AdditionalProperties = result.AdditionalProperties,
            Annotations = result.Annotations,
        },
        _ => new TextContent(text) { AdditionalProperties = content.AdditionalProperties, Annotations = content.Annotations },
    };

    private sealed record State(InputGuardOptions Options, TextScanner Scanner, VerdictCache? Cache);
}
