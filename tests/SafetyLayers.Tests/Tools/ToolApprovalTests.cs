using Microsoft.Extensions.AI;

using SafetyLayers.Testing;

namespace SafetyLayers.Tests.Tools;

public sealed class ToolApprovalTests
{
    private static List<ToolApprovalRequestContent> Requests(ChatResponse response) =>
        [.. response.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>()];

    [Theory]
    [InlineData(false, true)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(true, false)]
    public async Task RequireApproval_RoundTripsThroughMeaiApprovalContents(bool streaming, bool approve)
    {
        var model = new ScriptedAgentChatClient().Calls("send_money", new { iban = "DE89370400440532013000", amount = 10 });
        using var h = new ToolHarness(model, o => o.RequireApproval("send_*"));
        h.Tool("send_money", "paid");
        List<ChatMessage> history = [new(ChatRole.User, "pay 10 to my landlord")];

        ChatResponse first = await h.SendAsync(history, streaming: streaming);

        h.Ran.Should().BeEmpty("nothing runs before the approval");
        ToolApprovalRequestContent request = Requests(first).Should().ContainSingle().Subject;
        ((FunctionCallContent)request.ToolCall).Name.Should().Be("send_money");

        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.User, [request.CreateResponse(approve, approve ? null : "not today")]));
        ChatResponse second = await h.SendAsync(history, streaming: streaming);

        if (approve)
        {
            h.Ran.Should().Equal("send_money");
            second.Text.Should().Contain("task_0=paid");
        }
        else
        {
            h.Ran.Should().BeEmpty();
            second.Text.Should().Contain("rejected");
        }
    }

    [Fact]
    public async Task AnsweredApproval_IsRecordedOnce_AndTheCallRunsOnce()
    {
        var model = new ScriptedAgentChatClient().Calls("send_money", new { amount = 10 });
        var audit = new InMemoryAuditSink();
        var ran = 0;
        using IChatClient client = new ChatClientBuilder(model)
            .UseAudit(o => o.Sinks.Add(audit))
            .UseToolPermissions(o => o.RequireApproval("send_money"))
            .UseFunctionInvocation().Build();
        var options = new ChatOptions { Tools = [AIFunctionFactory.Create((int amount) => ++ran, "send_money")] };
        List<ChatMessage> history = [new(ChatRole.User, "pay 10")];
        ChatResponse first = await client.GetResponseAsync(history, options);
        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.User, [Requests(first).Single().CreateResponse(true)]));
        ChatResponse second = await client.GetResponseAsync(history, options);
        history.AddRange(second.Messages);
        history.Add(new ChatMessage(ChatRole.User, "thanks"));

        await client.GetResponseAsync(history, options);

        ran.Should().Be(1);
        audit.Events.Count(e => e.Kind == AuditEventKind.Approval).Should().Be(1, "a later turn re-sends the answered approval, which is not a new one");
    }

    [Fact]
    public async Task ApprovalRequestOfADeniedCall_NeverReachesTheCaller_AndTheModelLearnsWhy()
    {
        var model = new ScriptedAgentChatClient().Calls("send_money", new { iban = "DE89370400440532013000", amount = 5000 });
        using var h = new ToolHarness(model, o => o.RequireApproval("send_money")
            .Constrain("send_money", a => a.Argument("amount", c => c.Range(0, 1000))));
        h.Tool("send_money", "paid");

        ChatResponse response = await h.AskAsync("pay 5000");

        Requests(response).Should().BeEmpty("a call the policy denies is rejected before any approver sees it");
        h.Ran.Should().BeEmpty();
        response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Should().ContainSingle()
            .Which.Result.Should().BeOfType<string>().Which.Should().Contain("SL-TOOL-0003").And.Contain("between 0 and 1000");
        response.Text.Should().StartWith("Done.", "the model continued with the rejection");
    }

    [Fact]
    public async Task ApprovalRequestOfADeniedCall_IsRejectedInStreamingToo()
    {
        var model = new ScriptedAgentChatClient().Calls("send_money", new { amount = 5000 });
        using var h = new ToolHarness(model, o => o.RequireApproval("send_money").Constrain("send_money", a => a.Argument("amount", c => c.Range(0, 1000))));
        h.Tool("send_money", "paid");

        ChatResponse response = await h.AskAsync("pay 5000", streaming: true);

        Requests(response).Should().BeEmpty();
        h.Ran.Should().BeEmpty();
        response.Text.Should().Contain("SL-TOOL-0003");
    }

    [Fact]
    public async Task DeniedApproval_WithServiceManagedHistory_SendsOnlyTheRejection()
    {
        var received = new List<(List<ChatMessage> Messages, string? ConversationId)>();
        var model = new Testing.FakeChatClient
        {
            GetResponseAsyncCallback = (messages, options, _) =>
            {
                List<ChatMessage> list = [.. messages];
                lock (received)
                {
                    received.Add((list, options?.ConversationId));
                }

                ChatMessage reply = received.Count == 1
                    ? new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_1", "send_money", new Dictionary<string, object?> { ["amount"] = 5000 })])
                    : new ChatMessage(ChatRole.Assistant, "Understood, I will not send it.");
                return Task.FromResult(new ChatResponse(reply) { ConversationId = "conv_x" });
            },
        };
        using IChatClient client = new ChatClientBuilder(model)
            .UseToolPermissions(o => o.RequireApproval("send_money").Constrain("send_money", a => a.Argument("amount", c => c.Range(0, 1000))))
            .UseFunctionInvocation().Build();
        bool ran = false;

        ChatResponse response = await client.GetResponseAsync("pay 5000",
            new ChatOptions { Tools = [AIFunctionFactory.Create((int amount) => ran = true, "send_money")] });

        ran.Should().BeFalse();
        Requests(response).Should().BeEmpty();
        response.Text.Should().Contain("I will not send it");
        received.Should().HaveCount(2);
        received[1].ConversationId.Should().Be("conv_x");
        received[1].Messages.Should().ContainSingle("the service holds the history: only the rejection is sent")
            .Which.Contents.OfType<FunctionResultContent>().Single().Result.Should().BeOfType<string>().Which.Should().Contain("SL-TOOL-0003");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task InProcessApprover_DecidesWithTheArguments(bool approve)
    {
        var approver = new RecordingApprover(approve);
        var model = new ScriptedAgentChatClient().Calls("send_money", new { iban = "DE89370400440532013000", amount = 10 });
        using var h = new ToolHarness(model, o => { o.RequireApproval("send_money"); o.Approver = approver; });
        h.Tool("send_money", "paid");

        ChatResponse response = await h.AskAsync("pay");

        Requests(response).Should().BeEmpty("the in-process approver answers instead of the caller");
        ToolApprovalRequest asked = approver.Requests.Should().ContainSingle().Subject;
        asked.ToolName.Should().Be("send_money");
        asked.RuleId.Should().Be("SL-TOOL-0007");
        asked.Arguments.Should().ContainKey("amount");
        if (approve)
        {
            h.Ran.Should().Equal("send_money");
        }
        else
        {
            h.Ran.Should().BeEmpty();
            response.Text.Should().Contain("SL-TOOL-0014").And.Contain("no thanks");
        }
    }

    [Fact]
    public async Task DeniedCall_NeverReachesTheInProcessApprover()
    {
        var approver = new RecordingApprover(approve: true);
        var model = new ScriptedAgentChatClient().Calls("send_money", new { amount = 5000 });
        using var h = new ToolHarness(model, o =>
        {
            o.RequireApproval("send_money").Constrain("send_money", a => a.Argument("amount", c => c.Range(0, 1000)));
            o.Approver = approver;
        });
        h.Tool("send_money");

        await h.AskAsync("pay");

        approver.Requests.Should().BeEmpty();
        h.Ran.Should().BeEmpty();
    }

    [Fact]
    public async Task ThrowingApprover_CountsAsARejection()
    {
        var model = new ScriptedAgentChatClient().Calls("send_money", new { amount = 5 });
        using var h = new ToolHarness(model, o => { o.RequireApproval("send_money"); o.Approver = new ThrowingApprover(); });
        h.Tool("send_money");

        ChatResponse response = await h.AskAsync("pay");

        h.Ran.Should().BeEmpty();
        response.Text.Should().Contain("SL-TOOL-0014");
    }

    private sealed class RecordingApprover(bool approve) : IToolApprover
    {
        public List<ToolApprovalRequest> Requests { get; } = [];

        public ValueTask<ToolApprovalDecision> ApproveAsync(ToolApprovalRequest request, CancellationToken cancellationToken)
        {
            lock (Requests)
            {
                Requests.Add(request);
            }

            return ValueTask.FromResult(approve ? ToolApprovalDecision.Approve : ToolApprovalDecision.Reject("no thanks"));
        }
    }

    private sealed class ThrowingApprover : IToolApprover
    {
        public ValueTask<ToolApprovalDecision> ApproveAsync(ToolApprovalRequest request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("approver down");
    }
}
