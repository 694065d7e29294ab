using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;
using SafetyLayers.Testing;

namespace SafetyLayers.Tests.Audit;

public class AuditChatClientTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Call_EveryVerdictAllow_WritesExactlyOneRequestEvent(bool streaming)
    {
        var sink = new InMemoryAuditSink();
        using IChatClient client = CreateSut(new FakeChatClient
        {
            GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "hi"))),
            GetStreamingResponseAsyncCallback = (_, _, ct) => FakeChatClient.StreamText(["h", "i"], ct),
        }, o => o.Sinks.Add(sink));

        string text = await CallAsync(client, "hello", streaming);

        text.Should().Be("hi");
        AuditEvent request = sink.Events.Should().ContainSingle().Subject;
        request.Kind.Should().Be(AuditEventKind.Request);
        request.Action.Should().Be(GuardrailAction.Allow);
        request.Outcome.Should().Be("completed");
        request.Streaming.Should().Be(streaming);
        request.RequestId.Should().HaveLength(32);
        request.ContentHash.Should().Be(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("hello"))));
        request.Content.Should().BeNull();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InnerLayerReports_InsideTheCallAndTheStream_EventsShareTheRequestId(bool streaming)
    {
        var sink = new InMemoryAuditSink();
        var fake = new FakeChatClient
        {
            GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "a b c"))),
            GetStreamingResponseAsyncCallback = (_, _, ct) => FakeChatClient.StreamText(["a", " b", " c"], ct),
        };
        using IChatClient client = new ChatClientBuilder(fake)
            .UseAudit(o => { o.Sinks.Add(sink); o.PolicyVersion = "p-7"; })
            .Use(inner => new ReportingChatClient(inner))
            .Build();

        await CallAsync(client, "hello", streaming);

        IReadOnlyList<AuditEvent> events = sink.Events;
        events.Select(e => e.RequestId).Distinct().Should().ContainSingle();
        events[0].Kind.Should().Be(AuditEventKind.InputVerdict);
        events.Where(e => e.Kind == AuditEventKind.OutputVerdict).Should().HaveCount(streaming ? 4 : 1);
        AuditEvent request = events[^1];
        request.Kind.Should().Be(AuditEventKind.Request);
        request.Action.Should().Be(GuardrailAction.Redact);
        request.RuleIds.Should().BeEquivalentTo(["SL-IN-1", "SL-OUT-2"]);
        request.PolicyVersion.Should().Be("p-7");
        events.Where(e => e.Kind == AuditEventKind.OutputVerdict).Should().OnlyContain(e => e.Excerpt == "card [REDACTED]" && e.Content == null);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ToolDecision_InsideTheFunctionInvocationLoop_IsAuditedWithTheRequest(bool streaming)
    {
        var sink = new InMemoryAuditSink();
        int turn = 0;
        var fake = new FakeChatClient
        {
            GetResponseAsyncCallback = (_, _, _) => Task.FromResult(Interlocked.Increment(ref turn) == 1
                ? new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_time")]))
                : new ChatResponse(new ChatMessage(ChatRole.Assistant, "noon"))),
            GetStreamingResponseAsyncCallback = (_, _, ct) => Interlocked.Increment(ref turn) == 1
                ? ToAsync([new ChatResponseUpdate(ChatRole.Assistant, [new FunctionCallContent("call_1", "get_time")])])
                : FakeChatClient.StreamText(["no", "on"], ct),
        };
        AIFunction tool = AIFunctionFactory.Create(() =>
        {
            GuardrailAudit.ReportToolDecision("get_time", GuardrailAction.Allow, ["SL-TOOL-1"], "allowed by allow-list");
            return "12:00";
        }, "get_time");
        using IChatClient client = new ChatClientBuilder(fake).UseAudit(o => o.Sinks.Add(sink)).UseFunctionInvocation().Build();

        string text = await CallAsync(client, "time?", streaming, new ChatOptions { Tools = [tool] });

        text.Should().EndWith("noon");
        AuditEvent decision = sink.Events.Should().ContainSingle(e => e.Kind == AuditEventKind.ToolDecision).Subject;
        decision.ToolName.Should().Be("get_time");
        decision.RequestId.Should().Be(sink.Events[^1].RequestId);
        sink.Events[^1].Kind.Should().Be(AuditEventKind.Request);
    }

    [Fact]
    public async Task Dispose_BuiltClientWithJsonLines_FlushesAndClosesTheFile()
    {
        using var files = new AuditTestFiles();
        string path = files.PathOf("audit.jsonl");
        IChatClient client = CreateSut(new FakeChatClient
        {
            GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"))),
        }, o => o.ToJsonLines(path, f => f.FlushInterval = TimeSpan.FromMinutes(5)));
        for (int i = 0; i < 25; i++)
        {
            await client.GetResponseAsync("hello", cancellationToken: TestContext.Current.CancellationToken);
        }

        client.GetService<JsonLinesAuditSink>().Should().NotBeNull();
        client.Dispose();

        AuditVerificationResult result = AuditLogVerifier.Verify([path], new AuditVerificationOptions { RequireCheckpoint = true });
        result.IsIntact.Should().BeTrue(result.Error);
        result.EventCount.Should().Be(25);
    }

    [Fact]
    public async Task FaultedSink_BlockPolicy_RefusesWithoutCallingTheModel()
    {
        var faulted = new FaultedSink();
        var fake = new FakeChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse()) };
        using IChatClient client = CreateSut(fake, o => o.Sinks.Add(faulted));

        Func<Task> act = () => client.GetResponseAsync("hello", cancellationToken: TestContext.Current.CancellationToken);

        await act.Should().ThrowAsync<AuditUnavailableException>();
        fake.CallCount.Should().Be(0);
        faulted.Events.Should().ContainSingle(e => e.Outcome == "refused_audit_unavailable");
    }

    [Fact]
    public async Task FaultedSink_ContinuePolicy_AlertsOnceAndContinues()
    {
        var faulted = new FaultedSink();
        var fake = new FakeChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse()) };
        int alerts = 0;
        using IChatClient client = CreateSut(fake, o =>
        {
            o.Sinks.Add(faulted);
            o.FailurePolicy = AuditFailurePolicy.ContinueWithAlert;
            o.OnSinkFault = args => { args.Sink.Should().BeSameAs(faulted); Interlocked.Increment(ref alerts); };
        });

        await client.GetResponseAsync("one", cancellationToken: TestContext.Current.CancellationToken);
        await client.GetResponseAsync("two", cancellationToken: TestContext.Current.CancellationToken);

        fake.CallCount.Should().Be(2);
        alerts.Should().Be(1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InnerThrows_RecordsErrorAndRequestWithOutcomeError(bool streaming)
    {
        var sink = new InMemoryAuditSink();
        using IChatClient client = CreateSut(new FakeChatClient
        {
            GetResponseAsyncCallback = (_, _, _) => throw new InvalidOperationException("secret prompt text"),
            GetStreamingResponseAsyncCallback = (_, _, _) => throw new InvalidOperationException("secret prompt text"),
        }, o => o.Sinks.Add(sink));

        Func<Task> act = () => CallAsync(client, "hello", streaming);

        await act.Should().ThrowAsync<InvalidOperationException>();
        sink.Events.Select(e => e.Kind).Should().Equal(AuditEventKind.Error, AuditEventKind.Request);
        sink.Events[0].ErrorType.Should().Be("System.InvalidOperationException");
        sink.Events[0].Detail.Should().BeNull("exception messages may contain content");
        sink.Events[1].Outcome.Should().Be("error");
    }

    [Fact]
    public async Task Streaming_ConsumerStopsEarly_RequestIsRecordedAsAbandoned()
    {
        var sink = new InMemoryAuditSink();
        using IChatClient client = CreateSut(new FakeChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, ct) => FakeChatClient.StreamText(["a", "b", "c"], ct),
        }, o => o.Sinks.Add(sink));

        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("hello", cancellationToken: TestContext.Current.CancellationToken))
        {
            break;
        }

        sink.Events.Should().ContainSingle().Which.Outcome.Should().Be("abandoned");
    }

    [Fact]
    public async Task IncludeContent_RequestEventCarriesTheText()
    {
        var sink = new InMemoryAuditSink();
        using IChatClient client = CreateSut(new FakeChatClient
        {
            GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "hi"))),
        }, o => { o.Sinks.Add(sink); o.IncludeContent = true; });

        await client.GetResponseAsync("hello", cancellationToken: TestContext.Current.CancellationToken);

        sink.Events[0].Content.Should().Be("hello");
    }

    private static IChatClient CreateSut(IChatClient inner, Action<AuditOptions> configure) =>
        new ChatClientBuilder(inner).UseAudit(configure).Build();

    private static async Task<string> CallAsync(IChatClient client, string prompt, bool streaming, ChatOptions? options = null)
    {
        if (!streaming)
        {
            return (await client.GetResponseAsync(prompt, options, TestContext.Current.CancellationToken)).Text;
        }

        var text = new StringBuilder();
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(prompt, options, TestContext.Current.CancellationToken))
        {
            text.Append(update.Text);
        }

        return text.ToString();
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> ToAsync(ChatResponseUpdate[] updates)
    {
        foreach (ChatResponseUpdate update in updates)
        {
            await Task.Yield();
            yield return update;
        }
    }

    /// <summary>Plays an input guard and an output filter: reports an input verdict, then an output verdict per update (or per response).</summary>
    private sealed class ReportingChatClient(IChatClient inner) : DelegatingChatClient(inner)
    {
        public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            GuardrailAudit.ReportVerdict(AuditEventKind.InputVerdict, GuardrailAudit.InputLayer, GuardrailAction.Flag, ["SL-IN-1"], "prompt_injection");
            ChatResponse response = await base.GetResponseAsync(messages, options, cancellationToken);
            await Task.Yield();
            ReportOutput();
            return response;
        }

        public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            GuardrailAudit.ReportVerdict(AuditEventKind.InputVerdict, GuardrailAudit.InputLayer, GuardrailAction.Flag, ["SL-IN-1"], "prompt_injection");
            await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
            {
                await Task.Yield();
                ReportOutput();
                yield return update;
            }
        }

        private static void ReportOutput() => GuardrailAudit.ReportVerdict(AuditEventKind.OutputVerdict, GuardrailAudit.OutputLayer, GuardrailAction.Redact,
            ["SL-OUT-2"], "pii", [new AuditSpan(5, 16, "SL-OUT-2")], TimeSpan.FromMilliseconds(0.1), "card [REDACTED]", "card 4111111111111111");
    }

    private sealed class FaultedSink : IAuditSink
    {
        private readonly InMemoryAuditSink _inner = new();

        public IReadOnlyList<AuditEvent> Events => _inner.Events;

        public AuditSinkHealth Health => AuditSinkHealth.Faulted;

        public ValueTask WriteAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default) => _inner.WriteAsync(auditEvent, cancellationToken);

        public ValueTask FlushAsync(CancellationToken cancellationToken = default) => default;
    }
}
