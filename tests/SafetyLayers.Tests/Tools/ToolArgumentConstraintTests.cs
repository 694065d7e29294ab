using System.Text.Json;

namespace SafetyLayers.Tests.Tools;

public sealed class ToolArgumentConstraintTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static ToolArgumentConstraint Arg(Action<ToolArgumentConstraint> configure)
    {
        ToolArgumentConstraint? captured = null;
        new ToolArgumentPolicy("t").Argument("a", c => { configure(c); captured = c; });
        return captured!;
    }

    [Theory]
    [InlineData("\"text\"", ToolArgumentType.String, true)]
    [InlineData("3", ToolArgumentType.Integer, true)]
    [InlineData("3", ToolArgumentType.Number, true)]
    [InlineData("3.5", ToolArgumentType.Integer, false)]
    [InlineData("true", ToolArgumentType.Boolean, true)]
    [InlineData("\"true\"", ToolArgumentType.Boolean, false)]
    [InlineData("{}", ToolArgumentType.Object, true)]
    [InlineData("[1]", ToolArgumentType.Array, true)]
    [InlineData("[1]", ToolArgumentType.String, false)]
    [InlineData("null", ToolArgumentType.String, false)]
    public void OfType_ChecksJsonType(string json, ToolArgumentType type, bool passes) =>
        (Arg(c => c.OfType(type)).Check(Json(json)) is null).Should().Be(passes);

    [Theory]
    [InlineData(0.0, true)]
    [InlineData(100.0, true)]
    [InlineData(100.01, false)]
    [InlineData(-1.0, false)]
    public void Range_IncludesBounds(double value, bool passes) =>
        (Arg(c => c.Range(0, 100)).Check(value) is null).Should().Be(passes);

    [Fact]
    public void Range_RejectsNumbersInStrings() =>
        Arg(c => c.Range(0, 100)).Check(Json("\"50\"")).Should().Contain("must be a number");

    [Theory]
    [InlineData("\"ab\"", false)]
    [InlineData("\"abc\"", true)]
    [InlineData("\"abcde\"", true)]
    [InlineData("\"abcdef\"", false)]
    [InlineData("[1,2,3]", true)]
    [InlineData("[1]", false)]
    public void Length_AppliesToStringsAndArrays(string json, bool passes) =>
        (Arg(c => c.Length(3, 5)).Check(Json(json)) is null).Should().Be(passes);

    [Theory]
    [InlineData("\"eur\"", true)]
    [InlineData("\"EUR\"", false)]
    [InlineData("\"usd\"", true)]
    [InlineData("\"gbp\"", false)]
    public void OneOf_IsOrdinal(string json, bool passes) =>
        (Arg(c => c.OneOf("eur", "usd")).Check(Json(json)) is null).Should().Be(passes);

    [Theory]
    [InlineData("\"INV-2024-001\"", true)]
    [InlineData("\"INV-2024-001; rm -rf /\"", false)]
    [InlineData("42", false)]
    public void Matches_UsesTheRegex(string json, bool passes) =>
        (Arg(c => c.Matches(@"^INV-\d{4}-\d{3}$")).Check(Json(json)) is null).Should().Be(passes);

    [Fact]
    public void Matches_InvalidPattern_NamesTheArgument()
    {
        Action act = () => Arg(c => c.Matches("(unclosed"));
        act.Should().Throw<ArgumentException>().WithMessage("*argument 'a'*");
    }

    [Theory]
    [InlineData("report.txt", true)]
    [InlineData("sub/dir/report.txt", true)]
    [InlineData("sub/../report.txt", true)]
    [InlineData("/srv/data/report.txt", true)]
    [InlineData("/srv/data", true)]
    [InlineData("../secret.txt", false)]
    [InlineData("sub/../../secret.txt", false)]
    [InlineData("/srv/data/../other/x", false)]
    [InlineData("/srv/database/x", false)]
    [InlineData("/etc/passwd", false)]
    [InlineData("..\\..\\windows\\system32", false)]
    [InlineData("C:\\windows\\system32", false)]
    [InlineData("%2e%2e/secret", false)]
    [InlineData("~/secret", false)]
    [InlineData("report\0.txt", false)]
    [InlineData("", false)]
    public void PathUnder_ResolvesDotsAndRejectsEscapes(string path, bool passes) =>
        (Arg(c => c.PathUnder("/srv/data")).Check(path) is null).Should().Be(passes);

    [Fact]
    public void PathUnder_RelativeRoot_IsRejected()
    {
        Action act = () => Arg(c => c.PathUnder("data"));
        act.Should().Throw<ArgumentException>().WithMessage("*absolute*");
    }

    [Theory]
    [InlineData("https://api.example.com/v1/items", true)]
    [InlineData("https://EXAMPLE.com./", true)]
    [InlineData("https://shop.example.com:8443/cart", true)]
    [InlineData("http://api.example.com/", false)]
    [InlineData("https://example.com@evil.test/", false)]
    [InlineData("https://evil.test\\@example.com/", false)]
    [InlineData("https://evil.test/?next=https://example.com", false)]
    [InlineData("https://example.com.evil.test/", false)]
    [InlineData("https://notexample.com/", false)]
    [InlineData("https://%65xample.com/", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("//example.com/", false)]
    [InlineData(" https://example.com/", false)]
    public void Url_ChecksSchemeAndHost(string url, bool passes) =>
        (Arg(c => c.Url("example.com", "*.example.com")).Check(url) is null).Should().Be(passes);

    [Theory]
    [InlineData("https://127.0.0.1/admin", false)]
    [InlineData("https://10.1.2.3/", false)]
    [InlineData("https://172.20.0.1/", false)]
    [InlineData("https://192.168.1.1/", false)]
    [InlineData("https://169.254.169.254/latest/meta-data", false)]
    [InlineData("https://[::1]/", false)]
    [InlineData("https://[fe80::1]/", false)]
    [InlineData("https://[fd00::1]/", false)]
    [InlineData("https://[::ffff:127.0.0.1]/", false)]
    [InlineData("https://2130706433/", false)]
    [InlineData("https://0x7f.0.0.1/", false)]
    [InlineData("https://localhost:5000/", false)]
    [InlineData("https://8.8.8.8/", true)]
    [InlineData("https://[2001:4860:4860::8888]/", true)]
    [InlineData("https://example.org/", true)]
    public void Url_WithoutHostList_DeniesPrivateAddresses(string url, bool passes) =>
        (Arg(c => c.Url()).Check(url) is null).Should().Be(passes);

    [Fact]
    public void Url_AllowPrivateAddresses_LetsLoopbackThrough() =>
        Arg(c => c.Url().Schemes("http").AllowPrivateAddresses()).Check("http://localhost:8080/health").Should().BeNull();

    [Fact]
    public void Check_NeverEchoesTheValue()
    {
        string reason = Arg(c => c.Matches("^[a-z]+$")).Check("SECRET-VALUE-123")!;
        reason.Should().NotContain("SECRET-VALUE-123").And.Contain("argument 'a'");
    }

    [Fact]
    public void InvalidBounds_Throw()
    {
        ((Action)(() => Arg(c => c.Range(5, 1)))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => Arg(c => c.Length(-1, 3)))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => Arg(c => c.OneOf()))).Should().Throw<ArgumentException>();
        ((Action)(() => Arg(c => c.Schemes()))).Should().Throw<ArgumentException>();
    }

    private static string? CheckPolicy(Action<ToolArgumentPolicy> configure, string json)
    {
        var options = new ToolPolicyOptions { ScanArguments = false }.Constrain("t", configure);
        var policy = new ToolPolicy(options);
        var arguments = JsonDocument.Parse(json).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
        var request = new ToolRequestState(policy, new ToolConversationState(), null, TimeProvider.System);
        ToolRules rules = policy.Resolve("t");
        return policy.Evaluate(rules, rules.Labels, arguments, null, null, request).Reason;
    }

    [Theory]
    [InlineData("{\"options\":{\"url\":\"https://api.example.com/x\"}}", null)]
    [InlineData("{\"options\":{\"url\":\"https://evil.test/x\"}}", "argument 'options.url' points at a host that is not allowed")]
    [InlineData("{\"options\":{}}", null)]
    [InlineData("{\"other\":1}", null)]
    public void PathIntoAnObject_ChecksTheNestedValue(string json, string? expected) =>
        CheckPolicy(a => a.Argument("options.url", c => c.Url("api.example.com")), json).Should().Be(expected);

    [Theory]
    [InlineData("{\"attachments\":[{\"path\":\"a.txt\"},{\"path\":\"b/c.txt\"}]}", null)]
    [InlineData("{\"attachments\":[{\"path\":\"a.txt\"},{\"path\":\"../../etc/shadow\"}]}", "argument 'attachments[*].path' resolves outside the allowed root")]
    [InlineData("{\"attachments\":[]}", null)]
    public void PathThroughAnArray_ChecksEveryElement(string json, string? expected) =>
        CheckPolicy(a => a.Argument("attachments[*].path", c => c.PathUnder("/srv/files")), json).Should().Be(expected);

    [Theory]
    [InlineData("{\"headers\":{\"Authorization\":\"x\"}}", "argument 'headers.Authorization' is forbidden")]
    [InlineData("{\"headers\":{\"Accept\":\"x\"}}", null)]
    public void ForbiddenPath_IsDenied(string json, string? expected) =>
        CheckPolicy(a => a.Forbid("headers.Authorization"), json).Should().Be(expected);

    [Theory]
    [InlineData("{\"recipient\":{\"email\":\"a@b.example\"}}", null)]
    [InlineData("{\"recipient\":{\"email\":null}}", "argument 'recipient.email' is required")]
    [InlineData("{\"recipient\":{}}", "argument 'recipient.email' is required")]
    public void RequiredPath_MustLeadToAValue(string json, string? expected) =>
        CheckPolicy(a => a.Require("recipient.email"), json).Should().Be(expected);

    [Fact]
    public void EmptyPathSegment_Throws() =>
        ((Action)(() => new ToolArgumentPolicy("t").Argument("options..url", _ => { }))).Should().Throw<ArgumentException>().WithMessage("*empty segment*");
}
