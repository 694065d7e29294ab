using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SafetyLayers;

/// <summary>
/// A delegating chat client that guards every tool call of MEAI's function invocation: it wraps each <see cref="AIFunction"/> of
/// <see cref="ChatOptions.Tools"/> (on a clone of the options) so that calls are checked before they run and results are scanned
/// before the model sees them.
/// </summary>
/// <remarks>
/// <para>
/// The layer must sit outside <see cref="FunctionInvokingChatClient"/> (call <c>UseToolPermissions()</c> or <c>UseGuardrails()</c>
/// before <c>UseFunctionInvocation()</c>): a request that carries <see cref="AIFunction"/> tools through a layer with no function
/// invocation inside it fails with <see cref="InvalidOperationException"/>.
/// </para>
/// <para>
/// A denied call never runs: the model receives the denial, with rule id and reason, as the function result and continues (or the loop
/// ends, with <see cref="ToolPolicyOptions.TerminateOnDeny"/>). Calls that need approval surface to the caller as MEAI's
/// <see cref="ToolApprovalRequestContent"/>, or go to <see cref="ToolPolicyOptions.Approver"/>; approval requests for calls the policy
/// denies are answered with a rejection before they reach anyone. Taint, private data and budgets live in the conversation state
/// (<see cref="ToolPolicyOptions.StateStore"/>), and responses of a tainted conversation carry the taint in
/// <see cref="ChatMessage.AdditionalProperties"/> (<c>safetylayers.tainted</c>) into the next agent's pipeline.
/// </para>
/// <para>The client is thread-safe. Its options are compiled at construction; reloaded options swap in atomically.</para>
/// </remarks>
public sealed class ToolPermissionChatClient : DelegatingChatClient
{
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly InMemoryToolStateStore _defaultStore;
    private readonly ToolDescriptionPins _pins = new();
    private volatile ToolPolicy _policy;
    private int _functionInvocation;
    private IDisposable? _changeRegistration;

    /// <summary>Initializes a new instance of the <see cref="ToolPermissionChatClient"/> class.</summary>
    /// <param name="innerClient">The client that receives the requests, with MEAI's function invocation inside it.</param>
    /// <param name="options">The tool policy; <see langword="null"/> for the defaults (unknown tools allowed, results scanned).</param>
    /// <param name="loggerFactory">The logger factory, or <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock of budgets and state expiry, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="innerClient"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The options are invalid.</exception>
    public ToolPermissionChatClient(IChatClient innerClient, ToolPolicyOptions? options = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
        : base(innerClient)
    {
        _logger = (ILogger?)loggerFactory?.CreateLogger<ToolPermissionChatClient>() ?? NullLogger.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _defaultStore = new InMemoryToolStateStore(timeProvider: _timeProvider);
        _policy = Compile(options ?? new ToolPolicyOptions(), "ToolPolicyOptions.");
    }

    /// <summary>Gets the compiled policy in force (tests and diagnostics).</summary>
    internal ToolPolicy Policy => _policy;

    /// <summary>Gets the number of tools whose descriptions are pinned (tests and diagnostics).</summary>
    internal int PinnedToolCount => _pins.Count;

    /// <summary>Gets the default conversation store (tests and diagnostics).</summary>
    internal InMemoryToolStateStore DefaultStore => _defaultStore;

    /// <summary>Gets the next client of the pipeline (tests pin the layer order with it).</summary>
    internal IChatClient Inner => InnerClient;

    /// <inheritdoc/>
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ToolPolicy policy = _policy;
        if (!policy.Options.Enabled || !HasFunctions(options))
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }

        EnsureFunctionInvocationInside();
        List<ChatMessage> list = [.. messages];
        (ToolRequestState request, ChatOptions guarded) = await BeginAsync(policy, list, options!, cancellationToken).ConfigureAwait(false);
        ChatResponse response = await base.GetResponseAsync(list, guarded, cancellationToken).ConfigureAwait(false);
        for (int round = 0; round < ToolPolicyDefaults.MaxAutoRejectionRounds; round++)
        {
            List<ChatMessage>? denials = RejectDeniedApprovals(request, response.Messages, out bool pending);
            if (denials is null || pending)
            {
                break;
            }

            // Every approval request of the turn was denied: give the model the rejections and let it continue.
            (IEnumerable<ChatMessage> next, ChatOptions nextOptions) = Continuation(list, response.Messages, denials, response.ConversationId, guarded);
            ChatResponse more = await base.GetResponseAsync(next, nextOptions, cancellationToken).ConfigureAwait(false);
            response = Merge(response, more);
        }

        request.Stamp(response.Messages);
        await EndAsync(request, response.ConversationId, cancellationToken).ConfigureAwait(false);
        return response;
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ToolPolicy policy = _policy;
        if (!policy.Options.Enabled || !HasFunctions(options))
        {
            await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }

            yield break;
        }

        EnsureFunctionInvocationInside();
        List<ChatMessage> list = [.. messages];
        (ToolRequestState request, ChatOptions guarded) = await BeginAsync(policy, list, options!, cancellationToken).ConfigureAwait(false);
        string? conversationId = null;
        try
        {
            IEnumerable<ChatMessage> next = list;
            ChatOptions nextOptions = guarded;
            var all = new List<ChatResponseUpdate>();
            for (int round = 0; ; round++)
            {
                bool pending = false;
                List<ChatMessage>? denials = null;
                await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(next, nextOptions, cancellationToken).ConfigureAwait(false))
                {
                    conversationId = update.ConversationId ?? conversationId;
                    ChatResponseUpdate emitted = RejectDeniedApprovals(request, update, ref pending, out ChatMessage? denial);
                    StampUpdate(request, emitted);
                    all.Add(emitted);
                    yield return emitted;
                    if (denial is not null)
                    {
                        (denials ??= []).Add(denial);
                        var toolUpdate = new ChatResponseUpdate(ChatRole.Tool, [.. denial.Contents])
                        {
                            MessageId = denial.MessageId,
                            ResponseId = update.ResponseId,
                            ConversationId = update.ConversationId,
                            CreatedAt = _timeProvider.GetUtcNow(),
                        };
                        all.Add(toolUpdate);
                        yield return toolUpdate;
                    }
                }

                if (denials is null || pending || round + 1 >= ToolPolicyDefaults.MaxAutoRejectionRounds)
                {
                    break;
                }

                (next, nextOptions) = Continuation(list, all.ToChatResponse().Messages, denials, conversationId, guarded);
            }
        }
        finally
        {
            await EndAsync(request, conversationId, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Replaces the compiled options; invalid options are logged and ignored, so a bad reload keeps the layer running.</summary>
    internal void Reconfigure(ToolPolicyOptions options)
    {
        try
        {
            _policy = Compile(options, "SafetyLayers:Tools:");
        }
        catch (InvalidOperationException ex)
        {
            GuardrailsLog.ReconfigurationRejected(_logger, ex.Message);
        }
    }

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

    private static ToolPolicy Compile(ToolPolicyOptions options, string prefix)
    {
        var errors = new List<string>();
        options.AddErrors(errors, prefix);
        if (errors.Count > 0)
        {
            Throw.InvalidOptions(errors);
        }

        return new ToolPolicy(options.Clone());
    }

    private static bool HasFunctions(ChatOptions? options)
    {
        if (options?.Tools is not { Count: > 0 } tools)
        {
            return false;
        }

        foreach (AITool tool in tools)
        {
            if (tool is AIFunction)
            {
                return true;
            }
        }

        return false;
    }

    private void EnsureFunctionInvocationInside()
    {
        int state = Volatile.Read(ref _functionInvocation);
        if (state == 0)
        {
            state = InnerClient.GetService(typeof(FunctionInvokingChatClient)) is null ? -1 : 1;
            Volatile.Write(ref _functionInvocation, state);
        }

        if (state < 0)
        {
            throw new InvalidOperationException(
                "The request carries AIFunction tools, but the tool permission layer has no function invocation inside it: the tools it guards " +
                "would not be the ones invoked. Call UseGuardrails() or UseToolPermissions() before UseFunctionInvocation() on the ChatClientBuilder " +
                "(the tool layer must sit outside FunctionInvokingChatClient), or set Tools.Enabled = false if the application invokes tools itself.");
        }
    }

    private IToolStateStore Store(ToolPolicy policy) => policy.Options.StateStore ?? _defaultStore;

    private async ValueTask<(ToolRequestState Request, ChatOptions Guarded)> BeginAsync(ToolPolicy policy, List<ChatMessage> messages, ChatOptions options,
        CancellationToken cancellationToken)
    {
        string? key = policy.Options.ConversationKeySelector?.Invoke(messages, options) ?? options.ConversationId;
        ToolConversationState conversation = key is null
            ? new ToolConversationState { LastUsed = _timeProvider.GetUtcNow() }
            : await Store(policy).GetAsync(key, cancellationToken).ConfigureAwait(false);
        var request = new ToolRequestState(policy, conversation, key, _timeProvider);
        ChatOptions guarded = options.Clone();
        guarded.Tools = GuardTools(policy, options.Tools!, request);
        request.AbsorbHistory(messages);
        return (request, guarded);
    }

    private async ValueTask EndAsync(ToolRequestState request, string? responseConversationId, CancellationToken cancellationToken)
    {
        // A conversation that gets its id from the service in this response keeps its taint for the requests that carry the id.
        if ((request.ConversationKey ?? responseConversationId) is { } key)
        {
            await Store(request.Policy).SaveAsync(key, request.Conversation, cancellationToken).ConfigureAwait(false);
        }
    }

    private List<AITool> GuardTools(ToolPolicy policy, IList<AITool> tools, ToolRequestState request)
    {
        var guarded = new List<AITool>(tools.Count);
        foreach (AITool tool in tools)
        {
            if (tool is not AIFunction function || function is GuardedAIFunction)
            {
                guarded.Add(tool);
                continue;
            }

            if (policy.Options.PinDescriptions && _pins.Check(policy, function) is { } withdrawn)
            {
                ToolDecisions.Report(policy, function.Name, string.Empty, GuardrailAction.Block, withdrawn.RuleId, withdrawn.Reason);
                if (!policy.Options.MonitorOnly)
                {
                    continue;
                }
            }

            if (function.AdditionalProperties.TryGetValue(ToolPolicyDefaults.AgentProperty, out object? agent) && agent is true)
            {
                request.AddAgentTool(function.Name);
            }

            var wrapper = new GuardedAIFunction(function, policy.Resolve(function.Name), request);
            request.AddFunction(wrapper);
            guarded.Add(wrapper);
        }

        return guarded;
    }

    /// <summary>
    /// Answers the approval requests of calls the policy denies with a rejection: the request becomes the (informational) call plus a tool
    /// message with the denial, so no approver ever sees it and the model learns why.
    /// </summary>
    /// <returns>The inserted tool messages, or <see langword="null"/> when nothing was denied.</returns>
    private static List<ChatMessage>? RejectDeniedApprovals(ToolRequestState request, IList<ChatMessage> messages, out bool pending)
    {
        pending = false;
        List<ChatMessage>? inserted = null;
        for (int m = 0; m < messages.Count; m++)
        {
            ChatMessage? denial = RejectDeniedApprovals(request, messages[m].Contents, ref pending);
            if (denial is not null)
            {
                messages.Insert(++m, denial);
                (inserted ??= []).Add(denial);
            }
        }

        return inserted;
    }

    private static ChatResponseUpdate RejectDeniedApprovals(ToolRequestState request, ChatResponseUpdate update, ref bool pending, out ChatMessage? denial)
    {
        denial = null;
        bool any = false;
        foreach (AIContent content in update.Contents)
        {
            any |= content is ToolApprovalRequestContent;
        }

        if (!any)
        {
            return update;
        }

        ChatResponseUpdate clone = update.Clone();
        clone.Contents = [.. update.Contents];
        denial = RejectDeniedApprovals(request, clone.Contents, ref pending);
        return clone;
    }

    private static ChatMessage? RejectDeniedApprovals(ToolRequestState request, IList<AIContent> contents, ref bool pending)
    {
        List<AIContent>? results = null;
        for (int c = 0; c < contents.Count; c++)
        {
            if (contents[c] is not ToolApprovalRequestContent { ToolCall: FunctionCallContent call })
            {
                pending |= contents[c] is ToolApprovalRequestContent;
                continue;
            }

            ToolCallVerdict? dryRun = request.DryRun(call);
            if (dryRun is not { Outcome: ToolAccess.Deny } verdict || request.Policy.Options.MonitorOnly)
            {
                if (dryRun is { Outcome: ToolAccess.RequireApproval } asked)
                {
                    ToolDecisions.Report(request.Policy, call.Name, call.CallId, GuardrailAction.RequireApproval, asked.RuleId, asked.Reason, arguments: call.Arguments);
                }

                pending = true;
                continue;
            }

            ToolDecisions.Report(request.Policy, call.Name, call.CallId, GuardrailAction.Block, verdict.RuleId, verdict.Reason + " (approval request withheld from the approver)",
                arguments: call.Arguments);
            call.InformationalOnly = true;
            contents[c] = call;
            (results ??= []).Add(new FunctionResultContent(call.CallId, ToolDecisions.DenialMessage(request.Policy.Options, call.Name, verdict.RuleId!, verdict.Reason!)));
        }

        return results is null ? null : new ChatMessage(ChatRole.Tool, results) { MessageId = Guid.NewGuid().ToString("N") };
    }

    private static (IEnumerable<ChatMessage> Messages, ChatOptions Options) Continuation(List<ChatMessage> original, IList<ChatMessage> responseSoFar,
        List<ChatMessage> denials, string? conversationId, ChatOptions guarded)
    {
        if (conversationId is null)
        {
            return ([.. original, .. responseSoFar], guarded);
        }

        // The service keeps the history: send only the rejections, under its conversation id.
        ChatOptions next = guarded.Clone();
        next.ConversationId = conversationId;
        return (denials, next);
    }

    private static ChatResponse Merge(ChatResponse first, ChatResponse second)
    {
        var merged = new ChatResponse([.. first.Messages, .. second.Messages])
        {
            ResponseId = second.ResponseId ?? first.ResponseId,
            ConversationId = second.ConversationId ?? first.ConversationId,
            ModelId = second.ModelId ?? first.ModelId,
            CreatedAt = second.CreatedAt ?? first.CreatedAt,
            FinishReason = second.FinishReason,
            AdditionalProperties = second.AdditionalProperties ?? first.AdditionalProperties,
            Usage = first.Usage,
        };
        if (second.Usage is { } usage)
        {
            if (merged.Usage is null)
            {
                merged.Usage = usage;
            }
            else
            {
                merged.Usage.Add(usage);
            }
        }

        return merged;
    }

    private static void StampUpdate(ToolRequestState request, ChatResponseUpdate update)
    {
        if (update.Role == ChatRole.Assistant && request.Tainted)
        {
            update.AdditionalProperties ??= [];
            update.AdditionalProperties[ToolPolicyDefaults.TaintedProperty] = true;
        }
    }
}
