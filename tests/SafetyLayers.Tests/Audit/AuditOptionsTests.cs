using Microsoft.Extensions.Configuration;

namespace SafetyLayers.Tests.Audit;

public class AuditOptionsTests
{
    [Fact]
    public void ToJsonLines_SetsThePathAndChains()
    {
        var options = new AuditOptions();

        AuditOptions returned = options.ToJsonLines("audit.jsonl", f => f.FlushToDisk = true);

        returned.Should().BeSameAs(options);
        options.JsonLines!.Path.Should().Be("audit.jsonl");
        options.JsonLines.FlushToDisk.Should().BeTrue();
        options.JsonLines.MaxFileSizeBytes.Should().BeNull("rotation is off unless configured");
        options.JsonLines.FlushInterval.Should().BeLessThanOrEqualTo(TimeSpan.FromMilliseconds(100));
        options.JsonLines.FullMode.Should().Be(AuditQueueFullMode.Wait);
    }

    [Fact]
    public void Bind_FromConfiguration_FillsTheOptions()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SafetyLayers:Audit:JsonLines:Path"] = "logs/audit.jsonl",
            ["SafetyLayers:Audit:JsonLines:FlushToDisk"] = "true",
            ["SafetyLayers:Audit:JsonLines:MaxFileSizeBytes"] = "1048576",
            ["SafetyLayers:Audit:JsonLines:FullMode"] = "Drop",
            ["SafetyLayers:Audit:JsonLines:FlushInterval"] = "00:00:00.050",
            ["SafetyLayers:Audit:FailurePolicy"] = "ContinueWithAlert",
            ["SafetyLayers:Audit:IncludeContent"] = "true",
            ["SafetyLayers:Audit:PolicyVersion"] = "2026.11",
        }).Build();
        var options = new AuditOptions();

        configuration.GetSection("SafetyLayers:Audit").Bind(options);

        options.JsonLines!.Path.Should().Be("logs/audit.jsonl");
        options.JsonLines.FlushToDisk.Should().BeTrue();
        options.JsonLines.MaxFileSizeBytes.Should().Be(1_048_576);
        options.JsonLines.FullMode.Should().Be(AuditQueueFullMode.Drop);
        options.JsonLines.FlushInterval.Should().Be(TimeSpan.FromMilliseconds(50));
        options.FailurePolicy.Should().Be(AuditFailurePolicy.ContinueWithAlert);
        options.IncludeContent.Should().BeTrue();
        options.PolicyVersion.Should().Be("2026.11");
    }

    [Fact]
    public void UseAudit_InvalidFileOptions_FailsAtConfiguration()
    {
        var builder = new Microsoft.Extensions.AI.ChatClientBuilder(new SafetyLayers.Testing.FakeChatClient());

        Action act = () => Microsoft.Extensions.AI.AuditChatClientBuilderExtensions.UseAudit(builder, o => o.ToJsonLines("a.jsonl", f => f.QueueCapacity = 0));

        act.Should().Throw<InvalidOperationException>().WithMessage("*QueueCapacity*");
    }
}
