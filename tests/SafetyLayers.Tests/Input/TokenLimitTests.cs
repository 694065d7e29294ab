using Microsoft.Extensions.AI;
using SafetyLayers.Testing;

namespace SafetyLayers.Tests.Input;

public sealed class TokenLimitTests
{
    private static IChatClient Guarded(FakeChatClient model, int maxTokens, TokenEncoding encoding = TokenEncoding.O200kBase) =>
        new ChatClientBuilder(model).UseInputGuard(o => { o.MaxTokens = maxTokens; o.TokenEncoding = encoding; o.Scanner = TestScanner.Instance; }).Build();

    [Theory]
    [InlineData(TokenEncoding.O200kBase)]
    [InlineData(TokenEncoding.Cl100kBase)]
    public void Counter_CountsWithTheEncoding(TokenEncoding encoding)
    {
        TokenCounter counter = TokenCounter.For(encoding);

        counter.Count("hello world").Should().Be(2);
        counter.Count(string.Empty).Should().Be(0);
        counter.Count(string.Concat(Enumerable.Repeat("hello world ", 100))).Should().BeInRange(150, 250);
    }

    [Fact]
    public void Encodings_DifferOnNonEnglishText()
    {
        const string Text = "これは日本語のテキストです。トークン数はエンコーディングによって異なります。";

        TokenCounter.For(TokenEncoding.O200kBase).Count(Text).Should().BeLessThan(TokenCounter.For(TokenEncoding.Cl100kBase).Count(Text));
    }

    [Fact]
    public async Task RequestWithinTheLimit_Passes()
    {
        using FakeChatClient model = TestChat.Model("ok");
        using IChatClient client = Guarded(model, maxTokens: 10);

        ChatResponse response = await client.GetResponseAsync([new(ChatRole.System, "Be brief."), new(ChatRole.User, "hello world")]);

        response.Text.Should().Be("ok");
        model.CallCount.Should().Be(1);
    }

    [Fact]
    public async Task RequestOverTheLimit_IsBlockedBeforeTheModel_NamingWhereTheLimitWasCrossed()
    {
        using FakeChatClient model = TestChat.Model("ok");
        GuardrailVerdict? verdict = null;
        using IChatClient client = new ChatClientBuilder(model).UseInputGuard(o =>
        {
            o.MaxTokens = 5;
            o.Scanner = TestScanner.Instance;
            o.OnVerdict = v => verdict = v;
        }).Build();

        ChatResponse response = await client.GetResponseAsync([new(ChatRole.User, "hello world"), new(ChatRole.User, "one two three four five six")]);

        response.FinishReason.Should().Be(ChatFinishReason.ContentFilter);
        model.CallCount.Should().Be(0);
        GuardrailFinding finding = verdict!.Findings.Should().ContainSingle().Subject;
        finding.RuleId.Should().Be("SL-TOKEN-0001");
        finding.Category.Should().Be("token_limit");
        finding.MessageIndex.Should().Be(1);
        "one two three four five six"[finding.Index..].Should().Be(" four five six", "three tokens of the second message fit");
    }

    [Fact]
    public async Task EveryRoleCounts()
    {
        using FakeChatClient model = TestChat.Model("ok");
        using IChatClient client = Guarded(model, maxTokens: 3);

        ChatResponse response = await client.GetResponseAsync(
            [new(ChatRole.System, "You are a very helpful assistant."), new(ChatRole.User, "hi")]);

        response.FinishReason.Should().Be(ChatFinishReason.ContentFilter);
    }

    [Fact]
    public async Task MonitorOnly_RecordsTheOverflowButPasses()
    {
        using FakeChatClient model = TestChat.Model("ok");
        using IChatClient client = new ChatClientBuilder(model).UseInputGuard(o => { o.MaxTokens = 1; o.MonitorOnly = true; o.Scanner = TestScanner.Instance; }).Build();

        ChatResponse response = await client.GetResponseAsync("hello world and more");

        response.Text.Should().Be("ok");
    }

    [Fact]
    public void NegativeLimit_IsRejectedNamingTheKey()
    {
        using FakeChatClient model = TestChat.Model("ok");
        Action act = () => new ChatClientBuilder(model).UseInputGuard(o => o.MaxTokens = -1).Build();

        act.Should().Throw<InvalidOperationException>().WithMessage("*MaxTokens*");
    }
}
