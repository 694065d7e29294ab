using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace SafetyLayers.Benchmarks.Tools;

/// <summary>
/// One permission decision of the tool layer under a policy of 100 rules (allow, deny, approval and label globs, budgets, and
/// argument constraints on the called tool: regex, range, path under root, URL host), on arguments parsed from JSON as the model sends
/// them. Goal: under 2 µs, allocating nothing beyond a denial message.
/// </summary>
[MemoryDiagnoser]
public class ToolPermissionBenchmarks
{
    private ToolPolicy _policy = null!;
    private ToolPolicy _policyScanningArguments = null!;
    private ToolRequestState _request = null!;
    private ToolRequestState _requestScanning = null!;
    private ToolRules _rules = null!;
    private ToolRules _rulesScanning = null!;
    private ToolSchema _schema = null!;
    private AIFunctionArguments _allowed = null!;
    private AIFunctionArguments _denied = null!;
    private GuardedAIFunction _guarded = null!;

    [GlobalSetup]
    public void Setup()
    {
        _policy = new ToolPolicy(Options(scanArguments: false));
        _policyScanningArguments = new ToolPolicy(Options(scanArguments: true));
        _request = NewRequest(_policy);
        _requestScanning = NewRequest(_policyScanningArguments);
        _rules = _policy.Resolve("send_report");
        _rulesScanning = _policyScanningArguments.Resolve("send_report");
        AIFunction tool = AIFunctionFactory.Create((string to, double amount, string path, string url) => (object?)null, "send_report");
        _schema = ToolSchema.For(tool);
        _allowed = Arguments("""{"to":"bob@example.com","amount":250,"path":"reports/q3.txt","url":"https://api.example.com/v1/upload"}""");
        _denied = Arguments("""{"to":"bob@example.com","amount":250,"path":"../../etc/passwd","url":"https://api.example.com/v1/upload"}""");
        _guarded = new GuardedAIFunction(tool, _rules, _request);
        if (Decide() != ToolAccess.Allow || DecideDenied().Outcome != ToolAccess.Deny || DecideScanningArguments() != ToolAccess.Allow)
        {
            throw new InvalidOperationException("The benchmark policy does not decide as intended.");
        }
    }

    [Benchmark(Baseline = true)]
    public ToolAccess Decide()
    {
        ToolCallVerdict verdict = _policy.Evaluate(_rules, _request.LabelsOf(_rules), _allowed, _schema, null, _request);
        return _request.TryConsume(_rules) is null ? verdict.Outcome : ToolAccess.Deny;
    }

    [Benchmark]
    public string DecideDeniedWithMessage()
    {
        ToolCallVerdict verdict = DecideDenied();
        return ToolDecisions.DenialMessage(_policy.Options, "send_report", verdict.RuleId!, verdict.Reason!);
    }

    [Benchmark]
    public ToolAccess DecideScanningArguments()
    {
        ToolCallVerdict verdict = _policyScanningArguments.Evaluate(_rulesScanning, _requestScanning.LabelsOf(_rulesScanning), _allowed, _schema, null, _requestScanning);
        return _requestScanning.TryConsume(_rulesScanning) is null ? verdict.Outcome : ToolAccess.Deny;
    }

    [Benchmark]
    public ValueTask<object?> GuardedInvocation() => _guarded.InvokeAsync(_allowed);

    private ToolCallVerdict DecideDenied() => _policy.Evaluate(_rules, _request.LabelsOf(_rules), _denied, _schema, null, _request);

    private static ToolRequestState NewRequest(ToolPolicy policy) =>
        new(policy, new ToolConversationState(), conversationKey: null, TimeProvider.System);

    private static AIFunctionArguments Arguments(string json) =>
        new(JsonDocument.Parse(json).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone()));

    private static ToolPolicyOptions Options(bool scanArguments)
    {
        var options = new ToolPolicyOptions { ScanArguments = scanArguments, ScanResults = false, PinDescriptions = false };
        for (int i = 0; i < 30; i++)
        {
            options.Allow($"read_{i}_*").Deny($"delete_{i}_*").RequireApproval($"pay_{i}_*");
        }

        options.Label("read_*", ToolLabels.UntrustedSource).Label("send_*", ToolLabels.Egress).Label("*_report", ToolLabels.PrivateData);
        options.Limit("*", int.MaxValue).Limit("send_*", int.MaxValue);
        options.Allow("send_report");
        options.Constrain("send_*", a => a
            .Require("to", "amount")
            .Forbid("bcc")
            .Argument("to", c => c.OfType(ToolArgumentType.String).Length(3, 320).Matches(@"^[^@\s]+@example\.com$"))
            .Argument("amount", c => c.OfType(ToolArgumentType.Number).Range(0, 1000))
            .Argument("path", c => c.PathUnder("/srv/reports"))
            .Argument("url", c => c.Url("api.example.com", "*.example.org")));
        return options;
    }
}
