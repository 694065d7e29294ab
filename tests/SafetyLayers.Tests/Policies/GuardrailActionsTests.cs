namespace SafetyLayers.Tests.Policies;

public class GuardrailActionsTests
{
    [Theory]
    [InlineData(GuardrailAction.Allow, GuardrailAction.Flag, GuardrailAction.Flag)]
    [InlineData(GuardrailAction.Redact, GuardrailAction.Flag, GuardrailAction.Redact)]
    [InlineData(GuardrailAction.Block, GuardrailAction.RequireApproval, GuardrailAction.Block)]
    [InlineData(GuardrailAction.Allow, GuardrailAction.Allow, GuardrailAction.Allow)]
    public void Strongest_TwoActions_ReturnsTheStrongerInEitherOrder(GuardrailAction a, GuardrailAction b, GuardrailAction expected)
    {
        GuardrailActions.Strongest(a, b).Should().Be(expected);
        GuardrailActions.Strongest(b, a).Should().Be(expected);
    }

    [Fact]
    public void Strongest_UndefinedValue_Throws()
    {
        Action act = () => GuardrailActions.Strongest((GuardrailAction)42, GuardrailAction.Allow);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("first");
    }
}
