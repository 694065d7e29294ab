using System.Text.Json;
using System.Text.RegularExpressions;
using SafetyLayers.Scanning;

namespace SafetyLayers.Tests.Scanning;

public class CompiledRegexCacheTests
{
    [Fact]
    public void Get_SamePatternTwice_SharesOneHolderThatBecomesCompiled()
    {
        // Arrange
        string pattern = $"x{Guid.NewGuid():N}[0-9]+";

        // Act
        CompiledRegexCache.Holder first = CompiledRegexCache.Get(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1), compile: true);
        CompiledRegexCache.Holder second = CompiledRegexCache.Get(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1), compile: true);
        bool compiledBeforeUse = first.IsCompiled;
        for (int i = 0; i < CompiledRegexCache.HotRuns; i++)
        {
            _ = second.Acquire();
        }

        CompiledRegexCache.WaitForCompilation();

        // Assert
        second.Should().BeSameAs(first);
        compiledBeforeUse.Should().BeFalse();
        first.IsCompiled.Should().BeTrue();
        first.Current.MatchTimeout.Should().Be(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Get_WithoutCompilation_StaysInterpreted()
    {
        // Act
        CompiledRegexCache.Holder holder = CompiledRegexCache.Get("[a-z]+", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1), compile: false);
        for (int i = 0; i < CompiledRegexCache.HotRuns; i++)
        {
            _ = holder.Acquire();
        }

        CompiledRegexCache.CompileAll();
        CompiledRegexCache.WaitForCompilation();

        // Assert
        holder.IsCompiled.Should().BeFalse();
    }

    [Fact]
    public void Scan_CompiledRegexes_SameFindingsAsInterpreted()
    {
        // Arrange
        var builder = new ScanPolicyBuilder();
        foreach (RulePack pack in RulePacks.All)
        {
            builder.AddPack(pack);
        }

        ScanPolicy interpreted = builder.BuildInterpreted();
        ScanPolicy compiled = builder.Build();
        CompiledRegexCache.CompileAll();
        CompiledRegexCache.WaitForCompilation();
        IEnumerable<string> texts = new[] { "pii-secrets.jsonl", "attacks.jsonl" }
            .SelectMany(file => File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Corpus", file)))
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("text").GetString()!);

        foreach (string text in texts)
        {
            // Act
            ScanResult expected = interpreted.Scan(text);
            ScanResult actual = compiled.Scan(text);

            // Assert
            Describe(actual).Should().Equal(Describe(expected), because: text);
        }
    }

    private static List<string> Describe(ScanResult result) => [.. result.Findings.Select(f => $"{f.RuleId}@{f.Index}+{f.Length}")];
}
