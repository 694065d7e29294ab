namespace SafetyLayers.Tests.Tools;

public sealed class ToolPolicyTests
{
    private static ToolRules Resolve(Action<ToolPolicyOptions> configure, string tool)
    {
        var options = new ToolPolicyOptions();
        configure(options);
        return new ToolPolicy(options).Resolve(tool);
    }

    [Theory]
    [InlineData("send_email", "send_*", true)]
    [InlineData("send_email", "*_email", true)]
    [InlineData("send_email", "send_?mail", true)]
    [InlineData("send_email", "*", true)]
    [InlineData("send_email", "send", false)]
    [InlineData("send_email", "Send_*", false)]
    [InlineData("send_email", "*mail*x", false)]
    [InlineData("a", "a*", true)]
    public void Glob_Matches(string name, string pattern, bool matches) => new ToolGlob(pattern).IsMatch(name).Should().Be(matches);

    [Fact]
    public void ExactName_BeatsGlob() =>
        Resolve(o => o.Deny("send_*").Allow("send_receipt"), "send_receipt").Permission.Should().Be(ToolAccess.Allow);

    [Fact]
    public void MoreSpecificGlob_BeatsLessSpecific()
    {
        Resolve(o => o.Allow("*").Deny("delete_*"), "delete_file").Permission.Should().Be(ToolAccess.Deny);
        Resolve(o => o.Deny("delete_*").Allow("delete_temp_*"), "delete_temp_file").Permission.Should().Be(ToolAccess.Allow);
    }

    [Fact]
    public void EqualSpecificity_MostRestrictiveWins()
    {
        Resolve(o => o.Allow("send_*").Deny("send_*"), "send_email").Permission.Should().Be(ToolAccess.Deny);
        Resolve(o => o.RequireApproval("pay_*").Allow("pay_*"), "pay_bill").Permission.Should().Be(ToolAccess.RequireApproval);
    }

    [Fact]
    public void OrderOfRules_DoesNotMatter() =>
        Resolve(o => o.Deny("delete_*").Allow("*"), "delete_file").Permission
            .Should().Be(Resolve(o => o.Allow("*").Deny("delete_*"), "delete_file").Permission);

    [Fact]
    public void UnknownTool_AllowedUnlessStrict()
    {
        Resolve(o => o.Allow("read_*"), "wipe_disk").Permission.Should().Be(ToolAccess.Allow);
        Resolve(o => { o.Strict = true; o.Allow("read_*"); }, "wipe_disk").Permission.Should().Be(ToolAccess.Deny);
        Resolve(o => { o.Strict = true; o.Allow("read_*"); }, "read_file").Permission.Should().Be(ToolAccess.Allow);
    }

    [Fact]
    public void LabelsArgumentRulesAndBudgets_OfEveryMatchingPatternCombine()
    {
        ToolRules rules = Resolve(o => o
            .Label("send_*", ToolLabels.Egress).Label("*_email", ToolLabels.PrivateData)
            .Constrain("send_*", a => a.Require("to")).Constrain("*", a => a.Forbid("debug"))
            .Limit("*", 10).Limit("send_*", 2), "send_email");

        rules.Labels.Should().Be(ToolLabels.Egress | ToolLabels.PrivateData);
        rules.Required.Select(p => p.Text).Should().Equal("to");
        rules.Forbidden.Select(p => p.Text).Should().Equal("debug");
        rules.Budgets.Select(b => b.MaxCalls).Should().Equal(10, 2);
    }

    [Fact]
    public void EmptyPattern_Throws()
    {
        var options = new ToolPolicyOptions();
        ((Action)(() => options.Allow(""))).Should().Throw<ArgumentException>();
        ((Action)(() => options.Label(" ", ToolLabels.Egress))).Should().Throw<ArgumentException>();
        ((Action)(() => options.Limit("*", -1))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => options.Limit("*", 1, TimeSpan.Zero))).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void InvalidOptions_FailAtConstructionNamingTheKey()
    {
        var options = new ToolPolicyOptions { DenialMessage = "", SecretInArguments = GuardrailAction.Redact };
        Action act = () => _ = new ToolPermissionChatClient(new Testing.FakeChatClient(), options);
        act.Should().Throw<InvalidOperationException>().WithMessage("*DenialMessage*").WithMessage("*SecretInArguments*");
    }
}
