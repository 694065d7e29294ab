namespace SafetyLayers.Tests.Policies;

public class RulePacksTests
{
    public static TheoryData<string> PackNames => [.. RulePacks.All.Select(p => p.Id)];

    public static TheoryData<string, string, int> PositiveVectors
    {
        get
        {
            var data = new TheoryData<string, string, int>();
            foreach (RulePack pack in RulePacks.All)
            {
                foreach (ScanRule rule in pack.Rules)
                {
                    for (int i = 0; i < rule.PositiveExamples.Count; i++)
                    {
                        data.Add(pack.Id, rule.Id, i);
                    }
                }
            }

            return data;
        }
    }

    public static TheoryData<string, string, int> NegativeVectors
    {
        get
        {
            var data = new TheoryData<string, string, int>();
            foreach (RulePack pack in RulePacks.All)
            {
                foreach (ScanRule rule in pack.Rules)
                {
                    for (int i = 0; i < rule.NegativeExamples.Count; i++)
                    {
                        data.Add(pack.Id, rule.Id, i);
                    }
                }
            }

            return data;
        }
    }

    [Theory, MemberData(nameof(PositiveVectors))]
    public void Scan_PositiveVector_RuleFires(string packId, string ruleId, int index)
    {
        // Arrange
        (ScanPolicy policy, ScanRule rule) = CreateSut(packId, ruleId);
        string text = rule.PositiveExamples[index];

        // Act
        ScanResult result = policy.Scan(text);

        // Assert
        result.Findings.Should().Contain(f => f.RuleId == ruleId, because: $"\"{text}\" is a positive example of {ruleId}");
    }

    [Theory, MemberData(nameof(NegativeVectors))]
    public void Scan_NegativeVector_RuleDoesNotFire(string packId, string ruleId, int index)
    {
        // Arrange
        (ScanPolicy policy, ScanRule rule) = CreateSut(packId, ruleId);
        string text = rule.NegativeExamples[index];

        // Act
        ScanResult result = policy.Scan(text);

        // Assert
        result.Findings.Should().NotContain(f => f.RuleId == ruleId, because: $"\"{text}\" is a negative example of {ruleId}");
    }

    [Theory, MemberData(nameof(PackNames))]
    public void Pack_EveryRule_HasStableIdTestsAndReferences(string packId)
    {
        // Arrange
        RulePack pack = RulePacks.All.Single(p => p.Id == packId);

        // Act & Assert
        pack.Rules.Should().NotBeEmpty();
        foreach (ScanRule rule in pack.Rules)
        {
            rule.Id.Should().MatchRegex($"^SL-{packId}-[0-9]{{4}}$");
            rule.PositiveExamples.Should().NotBeEmpty(because: $"{rule.Id} needs positive test vectors");
            rule.NegativeExamples.Should().NotBeEmpty(because: $"{rule.Id} needs negative test vectors");
            rule.References.Should().NotBeEmpty(because: $"{rule.Id} should cite the technique or format it detects");
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ScanPolicy> s_policies = new();

    private static (ScanPolicy Policy, ScanRule Rule) CreateSut(string packId, string ruleId)
    {
        RulePack pack = RulePacks.All.Single(p => p.Id == packId);
        ScanPolicy policy = s_policies.GetOrAdd(packId, _ =>
        {
            var builder = new ScanPolicyBuilder().AddPack(pack);
            if (pack == RulePacks.Evasion)
            {
                builder.AddPack(RulePacks.PromptInjection);   // encoded payloads are rescanned with the policy's normalized rules
            }

            return builder.Build();
        });
        return (policy, pack.Rules.Single(r => r.Id == ruleId));
    }
}
