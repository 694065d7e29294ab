using Microsoft.Extensions.AI;

namespace SafetyLayers.Testing.Tests;

public class FakeChatClientTests
{
    [Fact]
    public async Task GetResponseAsync_WithCallback_ReturnsItsResponseAndRecordsTheCall()
    {
        using var client = new FakeChatClient
        {
            GetResponseAsyncCallback = (messages, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "echo: " + messages.Last().Text))),
        };

        ChatResponse response = await client.GetResponseAsync("hello", cancellationToken: TestContext.Current.CancellationToken);

        response.Text.Should().Be("echo: hello");
        client.CallCount.Should().Be(1);
        client.ReceivedMessages[0].Should().ContainSingle().Which.Text.Should().Be("hello");
    }

    [Fact]
    public async Task GetResponseAsync_WithoutCallback_ThrowsInvalidOperation()
    {
        using var client = new FakeChatClient();

        Func<Task> act = () => client.GetResponseAsync("hello", cancellationToken: TestContext.Current.CancellationToken);

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*GetResponseAsyncCallback*");
    }

    [Fact]
    public async Task StreamText_Chunks_YieldsOneUpdatePerChunkThenStop()
    {
        List<ChatResponseUpdate> updates = [];
        await foreach (ChatResponseUpdate update in FakeChatClient.StreamText(["Hel", "lo"], TestContext.Current.CancellationToken))
        {
            updates.Add(update);
        }

        updates.Select(u => u.Text).Should().Equal("Hel", "lo", "");
        updates[^1].FinishReason.Should().Be(ChatFinishReason.Stop);
        updates.ToChatResponse().Text.Should().Be("Hello");
    }

    [Fact]
    public void GetService_OwnType_ReturnsItself()
    {
        using var client = new FakeChatClient();

        client.GetService<FakeChatClient>().Should().BeSameAs(client);
        client.GetService<IChatClient>("key").Should().BeNull();
    }
}
