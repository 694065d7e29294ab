using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using SafetyLayers.Testing;

namespace SafetyLayers.Tests.Output;

public sealed class OutputFilterChatClientTests
{
    private const string Key = "sk-ABCDEFGHIJKLMNOPQRSTUVWX";
    private readonly List<GuardrailVerdict> _verdicts = [];

    private OutputFilterChatClient CreateSut(IChatClient inner, Action<OutputFilterOptions>? configure = null, TextScanner? scanner = null)
    {
        var options = new OutputFilterOptions { Scanner = scanner ?? new TestScanner(), OnVerdict = _verdicts.Add };
        configure?.Invoke(options);
        return new OutputFilterChatClient(inner, options);
    }

    private static string[] Chunk(string text, int size) => [.. text.Chunk(size).Select(c => new string(c))];

    [Theory, InlineData(false), InlineData(true)]
    public async Task Redact_PiiAndKey_ReplacedInPlaceWithCategoryPlaceholders(bool streaming)
    {
        using FakeChatClient model = TestChat.Model(Chunk($"Mail bob@corp.com, key {Key}, bye.", 3));
        using OutputFilterChatClient sut = CreateSut(model);

        ChatResponse response = await TestChat.SendAsync(sut, streaming, "hi");

        response.Text.Should().Be("Mail [REDACTED:EMAIL], key [REDACTED:API_KEY], bye.");
        response.FinishReason.Should().Be(ChatFinishReason.Stop);
        _verdicts.Single().Action.Should().Be(GuardrailAction.Redact);
        _verdicts[0].Findings.Select(f => (f.RuleId, f.Index, f.Length)).Should().Equal(("SL-TEST-0003", 5, 12), ("SL-TEST-0004", 23, 27));
    }

    [Theory, InlineData(false), InlineData(true)]
    public async Task Redact_CustomPlaceholder_Used(bool streaming)
    {
        using FakeChatClient model = TestChat.Model("write to bob@corp.com");
        using OutputFilterChatClient sut = CreateSut(model, o => o.Placeholder = "<{0}>");

        ChatResponse response = await TestChat.SendAsync(sut, streaming, "hi");

        response.Text.Should().Be("write to <EMAIL>");
    }

    [Theory, InlineData(false), InlineData(true)]
    public async Task Block_JailbreakCompliance_StopsBeforeItWithNoticeAndContentFilter(bool streaming)
    {
        using FakeChatClient model = TestChat.Model(Chunk("Sure! Speaking as DAN, here is how to do it.", 4));
        using OutputFilterChatClient sut = CreateSut(model, o => o.RefusalMessage = "[withheld]");

        ChatResponse response = await TestChat.SendAsync(sut, streaming, "hi");

        response.Text.Should().Be("Sure! Speaking \n[withheld]");
        response.FinishReason.Should().Be(ChatFinishReason.ContentFilter);
        _verdicts.Single().Action.Should().Be(GuardrailAction.Block);
    }

    [Theory, InlineData(false), InlineData(true)]
    public async Task Block_ThrowOnBlock_Throws(bool streaming)
    {
        using FakeChatClient model = TestChat.Model("as dan I comply");
        using OutputFilterChatClient sut = CreateSut(model, o => o.ThrowOnBlock = true);

        Func<Task> act = () => TestChat.SendAsync(sut, streaming, "hi");

        (await act.Should().ThrowAsync<GuardrailViolationException>()).Which.Verdict!.Stage.Should().Be(GuardrailStage.Output);
    }

    [Theory, InlineData(false), InlineData(true)]
    public async Task Flag_TextUnchangedAndRecorded(bool streaming)
    {
        using FakeChatClient model = TestChat.Model("Reset your password here.");
        using OutputFilterChatClient sut = CreateSut(model);

        ChatResponse response = await TestChat.SendAsync(sut, streaming, "hi");

        response.Text.Should().Be("Reset your password here.");
        _verdicts.Single().Action.Should().Be(GuardrailAction.Flag);
    }

    [Theory, InlineData(false), InlineData(true)]
    public async Task Allow_OrdinaryText_PassesByteForByte(bool streaming)
    {
        const string Text = "Plain text, émojis 😀 and numbers 12345 pass unchanged.";
        using FakeChatClient model = TestChat.Model(Chunk(Text, 1));
        using OutputFilterChatClient sut = CreateSut(model);

        ChatResponse response = await TestChat.SendAsync(sut, streaming, "hi");

        response.Text.Should().Be(Text);
        _verdicts.Single().Action.Should().Be(GuardrailAction.Allow);
    }

    [Theory, InlineData(false), InlineData(true)]
    public async Task MonitorOnly_NothingChangedVerdictRecorded(bool streaming)
    {
        string text = $"as dan: {Key}";
        using FakeChatClient model = TestChat.Model(Chunk(text, 2));
        using OutputFilterChatClient sut = CreateSut(model, o => o.MonitorOnly = true);

        ChatResponse response = await TestChat.SendAsync(sut, streaming, "hi");

        response.Text.Should().Be(text);
        response.FinishReason.Should().Be(ChatFinishReason.Stop);
        _verdicts.Single().Action.Should().Be(GuardrailAction.Block);
        _verdicts[0].Enforced.Should().BeFalse();
        _verdicts[0].Findings.Should().HaveCount(2);
    }

    [Theory, InlineData(false), InlineData(true)]
    public async Task FailClosed_ThrowingScanner_StopsResponse(bool streaming)
    {
        using FakeChatClient model = TestChat.Model("some text that is long enough to be scanned");
        using OutputFilterChatClient sut = CreateSut(model, o => o.RefusalMessage = "[withheld]", scanner: new ThrowingScanner());

        ChatResponse response = await TestChat.SendAsync(sut, streaming, "hi");

        response.Text.Should().Be("[withheld]");
        response.FinishReason.Should().Be(ChatFinishReason.ContentFilter);
        _verdicts.Single().Error.Should().NotBeNull();
        _verdicts[0].Action.Should().Be(GuardrailAction.Block);
    }

    [Theory, InlineData(false), InlineData(true)]
    public async Task FailOpen_ThrowingScanner_PassesUnfiltered(bool streaming)
    {
        const string Text = "some text that is long enough to be scanned";
        using FakeChatClient model = TestChat.Model(Chunk(Text, 5));
        using OutputFilterChatClient sut = CreateSut(model, o => o.FailOpen = true, scanner: new ThrowingScanner());

        ChatResponse response = await TestChat.SendAsync(sut, streaming, "hi");

        response.Text.Should().Be(Text);
        _verdicts.Single().Enforced.Should().BeFalse();
    }

    [Fact]
    public async Task NonStreaming_NonTextContentsKeptInPlace()
    {
        var call = new FunctionCallContent("c1", "lookup");
        var usage = new UsageDetails { InputTokenCount = 3 };
        using var model = new FakeChatClient
        {
            GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(
            [
                new ChatMessage(ChatRole.Assistant, [new TextReasoningContent("thinking about bob@corp.com"), new TextContent("Calling "), call]),
                new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c1", "bob@corp.com")]),
                new ChatMessage(ChatRole.Assistant, "Done for bob@corp.com"),
            ]) { Usage = usage }),
        };
        using OutputFilterChatClient sut = CreateSut(model);

        ChatResponse response = await sut.GetResponseAsync("hi");

        response.Messages.Should().HaveCount(3);
        response.Messages[0].Contents.Should().HaveCount(3);
        ((TextReasoningContent)response.Messages[0].Contents[0]).Text.Should().Be("thinking about [REDACTED:EMAIL]");
        response.Messages[0].Contents[2].Should().BeSameAs(call);
        ((FunctionResultContent)response.Messages[1].Contents[0]).Result.Should().Be("bob@corp.com", "tool results are the input guard's business");
        response.Messages[2].Text.Should().Be("Done for [REDACTED:EMAIL]");
        response.Usage.Should().BeSameAs(usage);
    }

    [Fact]
    public async Task Streaming_UpdatesWithoutTextPassThroughInOrderAfterHeldText()
    {
        var call = new FunctionCallContent("c1", "lookup");
        var usage = new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { OutputTokenCount = 5 })] };
        var callUpdate = new ChatResponseUpdate(ChatRole.Assistant, [call]) { MessageId = "m1" };
        using var model = new FakeChatClient { GetStreamingResponseAsyncCallback = (_, _, _) => Updates(
            new ChatResponseUpdate(ChatRole.Assistant, "Let me look ") { MessageId = "m1" },
            new ChatResponseUpdate(ChatRole.Assistant, "that up for bob@co") { MessageId = "m1" },
            new ChatResponseUpdate(ChatRole.Assistant, "rp.com") { MessageId = "m1" },
            callUpdate,
            usage) };
        using OutputFilterChatClient sut = CreateSut(model);

        List<ChatResponseUpdate> updates = [];
        await foreach (ChatResponseUpdate update in sut.GetStreamingResponseAsync("hi"))
        {
            updates.Add(update);
        }

        string.Concat(updates.Take(updates.Count - 2).Select(u => u.Text)).Should().Be("Let me look that up for [REDACTED:EMAIL]");
        updates[^2].Should().BeSameAs(callUpdate);
        updates[^1].Should().BeSameAs(usage);
        updates.Take(updates.Count - 2).Should().OnlyContain(u => u.MessageId == "m1" && u.Role == ChatRole.Assistant);
    }

    [Fact]
    public async Task Streaming_DifferentMessagesDoNotMixState()
    {
        // Joined, "bob@corp" + ".com" would be an e-mail and "as d" + "an" a forbidden phrase; they belong to different messages.
        using var model = new FakeChatClient { GetStreamingResponseAsyncCallback = (_, _, _) => Updates(
            new ChatResponseUpdate(ChatRole.Assistant, "write bob@corp") { MessageId = "m1" },
            new ChatResponseUpdate(ChatRole.Assistant, ".com now as d") { MessageId = "m2" },
            new ChatResponseUpdate(ChatRole.Assistant, "an ok, ann@corp.com") { MessageId = "m3" }) };
        using OutputFilterChatClient sut = CreateSut(model);

        List<ChatResponseUpdate> updates = [];
        await foreach (ChatResponseUpdate update in sut.GetStreamingResponseAsync("hi"))
        {
            updates.Add(update);
        }

        ChatResponse response = updates.ToChatResponse();
        response.Messages.Select(m => m.Text).Should().Equal("write bob@corp", ".com now as d", "an ok, [REDACTED:EMAIL]");
        response.FinishReason.Should().BeNull();
        _verdicts.Single().Findings.Single().MessageIndex.Should().Be(2);
    }

    [Fact]
    public async Task Streaming_CancelledMidStream_ThrowsAndReportsVerdict()
    {
        using var cts = new CancellationTokenSource();
        using var model = new FakeChatClient { GetStreamingResponseAsyncCallback = (_, _, ct) => TestChat.Stream([new string('a', 50) + " ", new string('b', 50) + " ", new string('c', 50) + " ", "end"], ct) };
        using OutputFilterChatClient sut = CreateSut(model);
        int received = 0;

        Func<Task> act = async () =>
        {
            await foreach (ChatResponseUpdate update in sut.GetStreamingResponseAsync("hi", cancellationToken: cts.Token))
            {
                received++;
                await cts.CancelAsync();
            }
        };

        await act.Should().ThrowAsync<OperationCanceledException>();
        received.Should().Be(1);
        _verdicts.Should().ContainSingle();
    }

    [Fact]
    public void Constructor_InvalidPlaceholder_ThrowsNamingTheProperty()
    {
        using FakeChatClient model = TestChat.Model("ok");

        Action act = () => _ = new OutputFilterChatClient(model, new OutputFilterOptions { Placeholder = "[{1}]" });

        act.Should().Throw<InvalidOperationException>().WithMessage("*OutputFilterOptions.Placeholder is not a valid composite format*");
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> Updates(params ChatResponseUpdate[] updates)
    {
        foreach (ChatResponseUpdate update in updates)
        {
            await Task.Yield();
            yield return update;
        }
    }
}
