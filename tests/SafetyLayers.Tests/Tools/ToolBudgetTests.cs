using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

using SafetyLayers.Testing;

namespace SafetyLayers.Tests.Tools;

public sealed class ToolBudgetTests
{
    private static int Denied(ChatResponse response) => response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>()
        .Count(r => ScriptedAgentChatClient.DescribeResult(r.Result).Contains("SL-TOOL-0006", StringComparison.Ordinal));

    private static ScriptedAgentChatClient Model(int calls, string tool = "search")
    {
        var model = new ScriptedAgentChatClient();
        for (int i = 0; i < calls; i++)
        {
            model.Calls(tool, new { q = "q" + i });
        }

        return model;
    }

    [Fact]
    public async Task RequestBudget_CountsAcrossTheFunctionInvocationLoop()
    {
        using var h = new ToolHarness(Model(5), o => o.Limit("search", 2));
        h.Tool("search");

        ChatResponse response = await h.AskAsync("search");

        h.Ran.Should().HaveCount(2);
        Denied(response).Should().Be(3);
    }

    [Fact]
    public async Task RequestBudget_StartsAfreshForEachRequest()
    {
        using var h = new ToolHarness(Model(2), o => o.Limit("search", 2));
        h.Tool("search");

        await h.AskAsync("one", conversationId: "c1");
        await h.AskAsync("two", conversationId: "c1");

        h.Ran.Should().HaveCount(4);
    }

    [Fact]
    public async Task TotalBudget_CountsEveryTool()
    {
        var model = new ScriptedAgentChatClient().Calls("a").Calls("b").Calls("c");
        using var h = new ToolHarness(model, o => o.Limit("*", 2));
        h.Tool("a").Tool("b").Tool("c");

        await h.AskAsync("go");

        h.Ran.Should().Equal("a", "b");
    }

    [Fact]
    public async Task ConversationBudget_SurvivesRequestsOfTheSameConversationOnly()
    {
        using var h = new ToolHarness(Model(2), o => o.Limit("search", 3, ToolBudgetScope.Conversation));
        h.Tool("search");

        await h.AskAsync("one", conversationId: "c1");
        ChatResponse second = await h.AskAsync("two", conversationId: "c1");
        await h.AskAsync("other conversation", conversationId: "c2");

        Denied(second).Should().Be(1);
        h.Ran.Should().HaveCount(5);
    }

    [Fact]
    public async Task WithoutAConversationKey_ConversationBudgetsCountWithinTheRequest()
    {
        using var h = new ToolHarness(Model(2), o => o.Limit("search", 3, ToolBudgetScope.Conversation));
        h.Tool("search");

        await h.AskAsync("one");
        await h.AskAsync("two");

        h.Ran.Should().HaveCount(4, "unrelated requests never share state");
    }

    [Fact]
    public async Task WindowBudget_FollowsTheTimeProvider()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        using var h = new ToolHarness(Model(2), o => o.Limit("search", 3, TimeSpan.FromMinutes(10)), timeProvider: time);
        h.Tool("search");

        await h.AskAsync("one", conversationId: "c1");
        time.Advance(TimeSpan.FromMinutes(5));
        ChatResponse second = await h.AskAsync("two", conversationId: "c1");
        time.Advance(TimeSpan.FromMinutes(6));
        ChatResponse third = await h.AskAsync("three", conversationId: "c1");

        Denied(second).Should().Be(1, "3 calls within 10 minutes");
        Denied(third).Should().Be(0, "the first two calls left the window");
        h.Ran.Should().HaveCount(5);
    }

    [Fact]
    public async Task DeniedCalls_DoNotConsumeBudget()
    {
        var model = new ScriptedAgentChatClient().Calls("search", new { q = "../x" }).Calls("search", new { q = "ok" });
        using var h = new ToolHarness(model, o => o.Limit("search", 1).Constrain("search", a => a.Argument("q", c => c.Matches("^[a-z]+$"))));
        h.Tool("search");

        await h.AskAsync("go");

        h.Ran.Should().ContainSingle();
    }

    [Fact]
    public async Task InMemoryStore_IsBoundedAndExpires()
    {
        var time = new FakeTimeProvider();
        var store = new InMemoryToolStateStore(capacity: 10, expiration: TimeSpan.FromMinutes(30), timeProvider: time);
        for (int i = 0; i < 25; i++)
        {
            ToolConversationState state = await store.GetAsync("c" + i, CancellationToken.None);
            await store.SaveAsync("c" + i, state, CancellationToken.None);
        }

        store.Count.Should().BeLessThanOrEqualTo(10);
        ToolConversationState kept = await store.GetAsync("c24", CancellationToken.None);
        kept.Tainted = true;
        time.Advance(TimeSpan.FromMinutes(31));
        (await store.GetAsync("c24", CancellationToken.None)).Tainted.Should().BeFalse("an idle conversation expires");
    }
}
