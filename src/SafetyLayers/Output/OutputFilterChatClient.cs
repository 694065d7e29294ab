using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SafetyLayers;

/// <summary>A delegating chat client that checks what the model returns before the caller sees it, streamed or not.</summary>
/// <remarks>
/// <para>
/// Text (and, by default, reasoning) is scanned; Redact findings are replaced in place by a placeholder naming the rule's label
/// (<c>[REDACTED:EMAIL]</c>); Flag findings are recorded; a Block finding stops the response just before the blocked content,
/// appends <see cref="OutputFilterOptions.RefusalMessage"/> and sets the finish reason to <see cref="ChatFinishReason.ContentFilter"/>.
/// Other contents (function calls and results, usage, data) pass through unchanged and in order.
/// </para>
/// <para>
/// Streaming responses go through a <see cref="StreamingRedactor"/> per message: it holds back at most the policy's longest match
/// and emits the rest at once, so the caller sees the same text, for any chunking, as the non-streaming filter returns. Held text
/// is flushed before any update without text, when the message changes (<see cref="ChatResponseUpdate.MessageId"/>, role or author)
/// and at the end.
/// </para>
/// <para>An exception inside the filter stops the response (fail closed) unless <see cref="OutputFilterOptions.FailOpen"/> is set.</para>
/// </remarks>
public sealed class OutputFilterChatClient : DelegatingChatClient
{
    private readonly ILogger _logger;
    private volatile State _state;
    private IDisposable? _changeRegistration;

    /// <summary>Initializes a new instance of the <see cref="OutputFilterChatClient"/> class.</summary>
    /// <param name="innerClient">The client whose responses are filtered.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults (the default output policy).</param>
    /// <param name="loggerFactory">The logger factory for verdicts and filter failures, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The options are invalid.</exception>
    public OutputFilterChatClient(IChatClient innerClient, OutputFilterOptions? options = null, ILoggerFactory? loggerFactory = null)
        : base(innerClient)
    {
        _logger = (ILogger?)loggerFactory?.CreateLogger<OutputFilterChatClient>() ?? NullLogger.Instance;
        _state = Compile(options ?? new OutputFilterOptions(), "OutputFilterOptions.");
    }

    /// <inheritdoc/>
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        State state = _state;
        ChatResponse response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        if (!state.Options.Enabled)
        {
            return response;
        }

        var findings = new List<GuardrailFinding>();
        bool blocked = false;
        Exception? error = null;
        try
        {
            blocked = Filter(state, response, findings, enforce: !state.Options.MonitorOnly);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            error = ex;
        }

        GuardrailVerdict verdict = Report(state, findings, error);
        if (error is not null && verdict.Enforced)
        {
            response.Messages = [new ChatMessage(ChatRole.Assistant, state.Options.RefusalMessage)];
            response.FinishReason = ChatFinishReason.ContentFilter;
            blocked = true;
        }

        if (blocked && state.Options.ThrowOnBlock)
        {
            throw new GuardrailViolationException("The output filter blocked the response.", verdict);
        }

        return response;
    }

    /// <inheritdoc/>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        State state = _state;
        IAsyncEnumerable<ChatResponseUpdate> updates = base.GetStreamingResponseAsync(messages, options, cancellationToken);
        return state.Options.Enabled ? FilterStreamAsync(state, updates, cancellationToken) : updates;
    }

    /// <summary>Replaces the compiled options; invalid options are logged and ignored, so a bad reload keeps the filter running.</summary>
    internal void Reconfigure(OutputFilterOptions options)
    {
        try
        {
            _state = Compile(options, "SafetyLayers:Output:");
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

    /// <summary>Gets the scanner in force (tests and benchmarks).</summary>
    internal TextScanner Scanner => _state.Scanner;

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _changeRegistration?.Dispose();
        }

        base.Dispose(disposing);
    }

    private static State Compile(OutputFilterOptions options, string prefix)
    {
        var errors = new List<string>();
        options.AddErrors(errors, prefix);
        if (errors.Count > 0)
        {
            Throw.InvalidOptions(errors);
        }

        PlaceholderFormatter placeholders = options.Placeholder == OutputFilterDefaults.Placeholder ? PlaceholderFormatter.Default : new PlaceholderFormatter(options.Placeholder);
        return new State(options.Clone(), options.ResolveScanner(prefix), placeholders);
    }

    private GuardrailVerdict Report(State state, List<GuardrailFinding> findings, Exception? error)
    {
        OutputFilterOptions options = state.Options;
        GuardrailAction action = GuardrailAction.Allow;
        foreach (GuardrailFinding finding in findings)
        {
            action = finding.Action > action ? finding.Action : action;
        }

        bool enforced = !options.MonitorOnly && (error is null || !options.FailOpen);
        var verdict = new GuardrailVerdict(GuardrailStage.Output, error is not null && !options.FailOpen ? GuardrailAction.Block : action, findings, enforced, error);
        GuardrailsLog.Report(_logger, options.OnVerdict, verdict);
        return verdict;
    }

    /// <summary>Filters a whole response in place; returns whether a Block stopped it.</summary>
    private static bool Filter(State state, ChatResponse response, List<GuardrailFinding> findings, bool enforce)
    {
        var textFindings = new List<TextFinding>();
        IList<ChatMessage> messages = response.Messages;
        for (int m = 0; m < messages.Count; m++)
        {
            ChatMessage message = messages[m];
            IList<AIContent> contents = message.Contents;
            List<AIContent>? result = null;
            int offset = 0;    // characters of filtered kinds before this group, as a streaming redactor of this message counts them
            int c = 0;
            while (c < contents.Count)
            {
                ContentKind kind = KindOf(state, contents[c]);
                if (kind == ContentKind.Other)
                {
                    result?.Add(contents[c]);
                    c++;
                    continue;
                }

                int groupStart = c;
                string text = TextOf(contents[c++]);
                while (c < contents.Count && KindOf(state, contents[c]) == kind)
                {
                    text += TextOf(contents[c++]);
                }

                var redactor = new StreamingRedactor(state.Scanner, state.Placeholders, enforce);
                string filtered = redactor.Complete(text);
                foreach (TextFinding finding in redactor.Findings)
                {
                    findings.Add(new GuardrailFinding(finding.RuleId, finding.Category, finding.Action, m, finding.Index + offset, finding.Length));
                }

                offset += text.Length;
                if (!enforce || (filtered == text && !redactor.Blocked))
                {
                    for (int k = groupStart; k < c; k++)
                    {
                        result?.Add(contents[k]);     // unchanged pieces stay as they were
                    }

                    continue;
                }

                result ??= [.. contents.Take(groupStart)];
                if (filtered.Length > 0)
                {
                    result.Add(Create(kind, filtered, contents[groupStart]));
                }

                if (redactor.Blocked)
                {
                    result.Add(new TextContent(RefusalText(state, redactor.EmittedAny)));
                    message.Contents = result;
                    while (messages.Count > m + 1)
                    {
                        messages.RemoveAt(messages.Count - 1);
                    }

                    response.FinishReason = ChatFinishReason.ContentFilter;
                    return true;
                }
            }

            if (result is not null)
            {
                message.Contents = result;
            }
        }

        return false;
    }

    private static string RefusalText(State state, bool afterText) => afterText ? "\n" + state.Options.RefusalMessage : state.Options.RefusalMessage;

    private static ContentKind KindOf(State state, AIContent content) => content switch
    {
        TextContent => ContentKind.Text,
        TextReasoningContent when state.Options.FilterReasoning => ContentKind.Reasoning,
        _ => ContentKind.Other,
    };

    private static string TextOf(AIContent content) => content switch
    {
        TextContent text => text.Text,
        TextReasoningContent reasoning => reasoning.Text,
        _ => string.Empty,
    };

    private static AIContent Create(ContentKind kind, string text, AIContent template) => kind == ContentKind.Reasoning
        ? new TextReasoningContent(text) { AdditionalProperties = template.AdditionalProperties }
        : new TextContent(text) { AdditionalProperties = template.AdditionalProperties, Annotations = template.Annotations };

    private async IAsyncEnumerable<ChatResponseUpdate> FilterStreamAsync(
        State state, IAsyncEnumerable<ChatResponseUpdate> updates, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = new StreamFilter(state);
        IAsyncEnumerator<ChatResponseUpdate> enumerator = updates.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (await enumerator.MoveNextAsync().ConfigureAwait(false))
            {
                filter.Process(enumerator.Current);
                foreach (ChatResponseUpdate update in filter.Output)
                {
                    yield return update;
                }

                if (filter.Stopped)
                {
                    break;
                }
            }

            if (!filter.Stopped)
            {
                filter.Finish();
                foreach (ChatResponseUpdate update in filter.Output)
                {
                    yield return update;
                }
            }

            if (filter.Blocked && state.Options.ThrowOnBlock)
            {
                GuardrailVerdict verdict = filter.Report(this);
                throw new GuardrailViolationException("The output filter blocked the response.", verdict);
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
            filter.Report(this);
        }
    }

    private enum ContentKind
    {
        Other,
        Text,
        Reasoning,
    }

    private sealed record State(OutputFilterOptions Options, TextScanner Scanner, PlaceholderFormatter Placeholders);

    /// <summary>The per-response state of a streamed response: the current message's redactor and what to emit next.</summary>
    private sealed class StreamFilter(State state)
    {
        private readonly bool _enforce = !state.Options.MonitorOnly;
        private readonly List<GuardrailFinding> _findings = [];
        private StreamingRedactor? _redactor;      // one per message; Complete() starts a new run but keeps counting characters
        private ContentKind _kind;
        private ChatResponseUpdate? _template;     // the last text update: role, ids and author of flushed text
        private string? _messageId;
        private ChatRole? _role;
        private string? _authorName;
        private int _messageIndex = -1;
        private bool _passThrough;                 // fail-open after a filter failure
        private Exception? _error;
        private GuardrailVerdict? _verdict;

        public List<ChatResponseUpdate> Output { get; } = [];

        public bool Stopped { get; private set; }

        public bool Blocked { get; private set; }

        public void Process(ChatResponseUpdate update)
        {
            Output.Clear();
            if (_passThrough)
            {
                Output.Add(update);
                return;
            }

            try
            {
                if (_enforce)
                {
                    ProcessCore(update);
                }
                else
                {
                    Monitor(update);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Fail(ex, update);
            }
        }

        public void Finish()
        {
            Output.Clear();
            if (_passThrough)
            {
                return;
            }

            try
            {
                if (_enforce)
                {
                    EmitFlush();
                }
                else
                {
                    _redactor?.Complete();      // monitor-only: the text went out as it came; settle the findings
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Fail(ex, null);
            }
        }

        public GuardrailVerdict Report(OutputFilterChatClient owner)
        {
            if (_verdict is null)
            {
                Collect();
                _verdict = owner.Report(state, _findings, _error);
            }

            return _verdict;
        }

        private void Monitor(ChatResponseUpdate update)
        {
            Output.Add(update);
            if (IsNewMessage(update))
            {
                _redactor?.Complete();
                Collect();
                _redactor = null;
            }

            Track(update);
            foreach (AIContent content in update.Contents)
            {
                ContentKind kind = KindOf(state, content);
                if (kind == ContentKind.Other || kind != _kind)
                {
                    _redactor?.Complete();
                    _kind = kind == ContentKind.Other ? _kind : kind;
                }

                if (kind != ContentKind.Other)
                {
                    _redactor ??= new StreamingRedactor(state.Scanner, state.Placeholders, enforce: false);
                    _ = _redactor.Append(TextOf(content));
                }
            }
        }

        private void ProcessCore(ChatResponseUpdate update)
        {
            if (IsNewMessage(update))
            {
                if (EmitFlush())
                {
                    return;
                }

                Collect();
                _redactor = null;
            }

            Track(update);
            if (update.FinishReason is null && update.Contents is [TextContent token] && (_kind == ContentKind.Text || _redactor is null))
            {
                FilterToken(update, token);     // the per-token path: allocates nothing while text is held back
                return;
            }

            bool hasText = false;
            foreach (AIContent content in update.Contents)
            {
                if (KindOf(state, content) != ContentKind.Other)
                {
                    hasText = true;
                    break;
                }
            }

            if (!hasText)
            {
                if (!EmitFlush())
                {
                    Output.Add(update);     // updates without text pass through unchanged, after the held text
                }

                return;
            }

            List<AIContent> contents = new(update.Contents.Count);
            foreach (AIContent content in update.Contents)
            {
                ContentKind kind = KindOf(state, content);
                if (kind == ContentKind.Other || kind != _kind)
                {
                    AddText(contents, Flush(), _kind);
                    if (Blocked)
                    {
                        break;
                    }

                    if (kind == ContentKind.Other)
                    {
                        contents.Add(content);
                        continue;
                    }

                    _kind = kind;
                }

                _redactor ??= new StreamingRedactor(state.Scanner, state.Placeholders);
                AddText(contents, _redactor.Append(TextOf(content)), kind);
                if (_redactor.Blocked)
                {
                    Block();
                    break;
                }
            }

            if (!Blocked && update.FinishReason is not null)
            {
                AddText(contents, Flush(), _kind);     // the message ends: settle what is held before the finish reason
            }

            _template = update;
            if (contents.Count > 0 || (update.FinishReason is not null && !Blocked))
            {
                ChatResponseUpdate copy = update.Clone();
                copy.Contents = contents;
                if (Blocked)
                {
                    copy.FinishReason = null;
                }

                Output.Add(copy);
            }

            if (Blocked)
            {
                Output.Add(RefusalUpdate(update));
            }
        }

        private void FilterToken(ChatResponseUpdate update, TextContent token)
        {
            _kind = ContentKind.Text;
            _redactor ??= new StreamingRedactor(state.Scanner, state.Placeholders);
            string emitted = _redactor.Append(token.Text);
            _template = update;
            if (emitted.Length > 0)
            {
                ChatResponseUpdate copy = update.Clone();
                copy.Contents = [new TextContent(emitted)];
                Output.Add(copy);
            }

            if (_redactor.Blocked)
            {
                Block();
                Output.Add(RefusalUpdate(update));
            }
        }

        private void Track(ChatResponseUpdate update)
        {
            if (_messageIndex < 0 || IsNewMessage(update))
            {
                _messageIndex++;
            }

            _messageId = string.IsNullOrEmpty(update.MessageId) ? _messageId : update.MessageId;
            _role = update.Role ?? _role;
            _authorName = string.IsNullOrEmpty(update.AuthorName) ? _authorName : update.AuthorName;
        }

        private bool IsNewMessage(ChatResponseUpdate update) =>
            _messageIndex >= 0 && (
                (!string.IsNullOrEmpty(update.MessageId) && !string.IsNullOrEmpty(_messageId) && update.MessageId != _messageId) ||
                (update.Role is { } role && _role is { } current && role != current) ||
                (!string.IsNullOrEmpty(update.AuthorName) && !string.IsNullOrEmpty(_authorName) && update.AuthorName != _authorName));

        /// <summary>Settles the held text of the current run and emits it as its own update; returns whether a Block stopped the response.</summary>
        private bool EmitFlush()
        {
            string text = Flush();
            if (text.Length > 0)
            {
                Output.Add(FromTemplate(text, _kind));
            }

            if (Blocked)
            {
                Output.Add(RefusalUpdate(_template));
            }

            return Blocked;
        }

        /// <summary>Settles the held text of the current run; the next text of the message starts a new run.</summary>
        private string Flush()
        {
            if (_redactor is null || Blocked)
            {
                return string.Empty;
            }

            string text = _redactor.Complete();
            if (_redactor.Blocked)
            {
                Block();
            }

            return text;
        }

        private void Collect()
        {
            if (_redactor is null)
            {
                return;
            }

            foreach (TextFinding finding in _redactor.Findings)
            {
                _findings.Add(new GuardrailFinding(finding.RuleId, finding.Category, finding.Action, Math.Max(_messageIndex, 0), finding.Index, finding.Length));
            }

            _redactor.Findings.Clear();
        }

        private void Block()
        {
            Blocked = true;
            Stopped = true;
        }

        private static void AddText(List<AIContent> contents, string text, ContentKind kind)
        {
            if (text.Length > 0)
            {
                contents.Add(kind == ContentKind.Reasoning ? new TextReasoningContent(text) : new TextContent(text));
            }
        }

        private ChatResponseUpdate FromTemplate(string text, ContentKind kind)
        {
            ChatResponseUpdate update = _template?.Clone() ?? new ChatResponseUpdate { Role = ChatRole.Assistant };
            update.Contents = [kind == ContentKind.Reasoning ? new TextReasoningContent(text) : new TextContent(text)];
            update.FinishReason = null;
            return update;
        }

        private ChatResponseUpdate RefusalUpdate(ChatResponseUpdate? source) =>
            new(ChatRole.Assistant, RefusalText(state, _redactor?.EmittedAny ?? false))
            {
                MessageId = source?.MessageId ?? _messageId,
                ResponseId = source?.ResponseId,
                ConversationId = source?.ConversationId,
                ModelId = source?.ModelId,
                AuthorName = source?.AuthorName,
                FinishReason = ChatFinishReason.ContentFilter,
            };

        private void Fail(Exception error, ChatResponseUpdate? update)
        {
            _error = error;
            Output.Clear();
            if (state.Options.FailOpen || !_enforce)
            {
                _passThrough = true;
                string held = _enforce ? _redactor?.HeldText ?? string.Empty : string.Empty;
                if (held.Length > 0)
                {
                    Output.Add(FromTemplate(held, _kind));
                }

                if (update is not null)
                {
                    // The update's text is in the held text already; pass the rest of it on.
                    ChatResponseUpdate rest = update.Clone();
                    rest.Contents = [.. update.Contents.Where(c => !_enforce || KindOf(state, c) == ContentKind.Other)];
                    if (rest.Contents.Count > 0 || rest.FinishReason is not null)
                    {
                        Output.Add(rest);
                    }
                }

                Collect();
                _redactor = null;
                return;
            }

            Collect();
            _redactor = null;
            Block();
            Output.Add(new ChatResponseUpdate(ChatRole.Assistant, state.Options.RefusalMessage)
            {
                MessageId = update?.MessageId ?? _messageId,
                ResponseId = update?.ResponseId,
                FinishReason = ChatFinishReason.ContentFilter,
            });
        }
    }
}
