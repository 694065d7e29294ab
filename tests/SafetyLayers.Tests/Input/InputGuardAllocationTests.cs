using Microsoft.Extensions.AI;
using SafetyLayers.Testing;

namespace SafetyLayers.Tests.Input;

/// <summary>Runs alone: a metric collector of another test would record (and allocate) on this test's thread.</summary>
[CollectionDefinition(nameof(InputGuardAllocationTests), DisableParallelization = true)]
public sealed class InputGuardAllocationGroup
{
}

[Collection(nameof(InputGuardAllocationTests))]
public class InputGuardAllocationTests
{
    private const int Calls = 50;

    [Fact]
    public async Task GetResponseAsync_CleanMessages_AllocatesOnlyTheSnapshotPerMessage()
    {
        // Arrange: the default input policy over requests of 100 and of 200 clean messages; what a request allocates apart
        // from its messages (the response, the call) is the same for both, so the difference is what the messages cost,
        // less what the fake model itself spends on them (it records each request)
        using FakeChatClient model = TestChat.Model("ok");
        using var sut = new InputGuardChatClient(model, new InputGuardOptions { VerdictCacheSize = 0 });
        List<ChatMessage> hundred = Messages(100);
        List<ChatMessage> twoHundred = Messages(200);
        for (int i = 0; i < 200; i++)
        {
            await sut.GetResponseAsync(hundred);   // warm up the tiered JIT
            await sut.GetResponseAsync(twoHundred);
        }

        // Act: the best of three rounds, so a one-time cost inside one round does not count
        long perHundred = long.MaxValue;
        long perTwoHundred = long.MaxValue;
        long modelPerHundred = long.MaxValue;
        long modelPerTwoHundred = long.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            perHundred = Math.Min(perHundred, await Allocated(sut, hundred));
            perTwoHundred = Math.Min(perTwoHundred, await Allocated(sut, twoHundred));
            modelPerHundred = Math.Min(modelPerHundred, await Allocated(model, hundred));
            modelPerTwoHundred = Math.Min(modelPerTwoHundred, await Allocated(model, twoHundred));
        }

        // Assert
        double guardPerMessage = (perTwoHundred - perHundred) / 100.0;
        double modelPerMessage = (modelPerTwoHundred - modelPerHundred) / 100.0;
        (guardPerMessage - modelPerMessage).Should().BeLessThanOrEqualTo(
            IntPtr.Size, because: $"a clean message costs the guard its slot in the snapshot of the request it forwards, and scanning it nothing (the model alone: {modelPerMessage} B a message)");
    }

    private static List<ChatMessage> Messages(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new ChatMessage(i % 2 == 0 ? ChatRole.User : ChatRole.Assistant, $"Message {i}: could you list a few spring vegetables for a soup?"))];

    /// <summary>The bytes one request allocates on this thread, averaged over <see cref="Calls"/> requests.</summary>
    private static async Task<long> Allocated(IChatClient client, List<ChatMessage> messages)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Calls; i++)
        {
            await client.GetResponseAsync(messages);
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / Calls;
    }
}
