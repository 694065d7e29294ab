namespace SafetyLayers.Tests.Policies;

/// <summary>Runs alone: allocation counts are only meaningful when no other test loads the process at the same time.</summary>
[CollectionDefinition(nameof(ScanPolicyAllocationTests), DisableParallelization = true)]
public sealed class ScanPolicyAllocationGroup
{
}

[Collection(nameof(ScanPolicyAllocationTests))]
public class ScanPolicyAllocationTests
{
    private const string Clean =
        "The quarterly report is attached. Revenue grew in every region, and the team thanks everyone for the careful review of the draft. ";

    [Theory]
    [InlineData(Clean)]
    [InlineData("The client requirements are listed, and the key elements follow. ")]   // credential rules match, their validator rejects
    public void Scan_TextWithoutFindings_AllowsAndAllocatesNothing(string sentence)
    {
        // Arrange: a policy of its own, because a Regex reuses its runner only when no other thread holds it
        ScanPolicy policy = ScanPolicies.ConfigureDefaultOutput(ScanPolicies.ConfigureDefaultInput(new ScanPolicyBuilder())).Build();
        string text = string.Concat(Enumerable.Repeat(sentence, 4));
        for (int i = 0; i < 3_000; i++)
        {
            policy.Scan(text);   // warm up pools, tiered JIT and lazily built regex state
        }

        // Act: the best of up to twenty rounds, so a one-time cost inside one round (a pool refill) does not count, nor do the
        // rounds before tiered compilation replaces the first code (some BCL span searches box their bounds in unoptimized
        // code, and call counting waits while other tests keep the JIT busy)
        GuardrailAction verdict = GuardrailAction.Allow;
        long allocated = long.MaxValue;
        for (int round = 0; round < 20 && allocated >= 10_000; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10_000; i++)
            {
                verdict = GuardrailActions.Strongest(verdict, policy.Scan(text).Verdict);
            }

            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        // Assert
        verdict.Should().Be(GuardrailAction.Allow);
        allocated.Should().BeLessThan(10_000);
    }
}
