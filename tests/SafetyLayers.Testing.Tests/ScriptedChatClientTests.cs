using Microsoft.Extensions.AI;

namespace SafetyLayers.Testing.Tests;

public sealed class ScriptedChatClientTests
{
    private static ScriptedChatClient CreateSut() => new ScriptedChatClient { DefaultReply = "default", ChunkSize = 3 }
        .When("weather", "Sunny 😀 all day")
        .When("cat", "Miso");

    [Fact]
    public async Task GetResponseAsync_FirstMatchingRuleAnswers()
    {
        using ScriptedChatClient sut = CreateSut();

        ChatResponse weather = await sut.GetResponseAsync("What's the WEATHER like?", cancellationToken: TestContext.Current.CancellationToken);
        ChatResponse other = await sut.GetResponseAsync("hello", cancellationToken: TestContext.Current.CancellationToken);

        weather.Text.Should().Be("Sunny 😀 all day");
        other.Text.Should().Be("default");
        sut.CallCount.Should().Be(2);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ChunksWithoutSplittingSurrogatePairs()
    {
        using ScriptedChatClient sut = CreateSut();
        var chunks = new List<string>();

        await foreach (ChatResponseUpdate update in sut.GetStreamingResponseAsync("weather?", cancellationToken: TestContext.Current.CancellationToken))
        {
            if (update.Text.Length > 0)
            {
                chunks.Add(update.Text);
            }
        }

        string.Concat(chunks).Should().Be("Sunny 😀 all day");
        chunks.Should().OnlyContain(c => !char.IsHighSurrogate(c[c.Length - 1]));
        chunks[0].Should().Be("Sun");
    }
}
