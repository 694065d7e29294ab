using System.Collections.Concurrent;

namespace SafetyLayers;

/// <summary>A compiled <see cref="ToolPolicyOptions"/>: resolves the rules of each tool once and decides on calls without allocating.</summary>
/// <remarks>Immutable and thread-safe; reloaded options compile into a new instance.</remarks>
internal sealed class ToolPolicy
{
    private readonly ConcurrentDictionary<string, ToolRules> _rules = new(StringComparer.Ordinal);

    public ToolPolicy(ToolPolicyOptions options)
    {
        Options = options;
        ResultScanner = GuardrailsDefaults.Resolve(null, options.ResultPolicy, GuardrailsDefaults.InputScanner);
        ArgumentScanner = GuardrailsDefaults.Resolve(null, options.ArgumentPolicy, GuardrailsDefaults.OutputScanner);
    }

    public ToolPolicyOptions Options { get; }

    /// <summary>Gets the scanner of tool results and descriptions (injection detectors).</summary>
    public TextScanner ResultScanner { get; }

    /// <summary>Gets the scanner of argument values (secrets and personal data).</summary>
    public TextScanner ArgumentScanner { get; }

    /// <summary>Gets the rules that apply to <paramref name="toolName"/>.</summary>
    public ToolRules Resolve(string toolName)
    {
        if (_rules.TryGetValue(toolName, out ToolRules? rules))
        {
            return rules;
        }

        rules = Compute(toolName);
        if (_rules.Count < ToolPolicyDefaults.RuleCacheSize)
        {
            _rules.TryAdd(toolName, rules);
        }

        return rules;
    }

    /// <summary>Decides on a call before it runs: permission, arguments, argument scanning, and flow rules. Budgets are not consumed.</summary>
    public ToolCallVerdict Evaluate(ToolRules rules, ToolLabels labels, IDictionary<string, object?>? arguments, ToolSchema? schema, Exception? parseError,
        ToolRequestState request)
    {
        if (rules.Permission == ToolAccess.Deny)
        {
            return rules.PermissionPattern is null
                ? ToolCallVerdict.Denied(ToolRuleIds.UnknownToolStrict, $"tool '{rules.ToolName}' is not on the allow list (strict mode)")
                : ToolCallVerdict.Denied(ToolRuleIds.DeniedByRule, $"tool '{rules.ToolName}' is denied by rule '{rules.PermissionPattern}'");
        }

        if (parseError is not null)
        {
            return ToolCallVerdict.Denied(ToolRuleIds.MalformedArguments, "the arguments are not valid JSON");
        }

        if (schema?.Check(arguments) is { } malformed)
        {
            return ToolCallVerdict.Denied(ToolRuleIds.MalformedArguments, malformed);
        }

        if (rules.HasArgumentRules && CheckArguments(rules, arguments) is { } violation)
        {
            return ToolCallVerdict.Denied(ToolRuleIds.ArgumentConstraint, violation);
        }

        ToolCallVerdict verdict = ToolCallVerdict.Allowed;
        if (Options.ScanArguments && arguments is { Count: > 0 })
        {
            verdict = ScanArguments(arguments);
            if (verdict.Outcome == ToolAccess.Deny)
            {
                return verdict;
            }
        }

        if ((labels & ToolLabels.Egress) != 0)
        {
            bool tainted = request.Tainted;
            if (request.CarriesPrivateData(arguments))
            {
                ToolAccess flow = tainted ? Options.TaintedPrivateDataEgress : Options.PrivateDataEgress;
                verdict = Stronger(verdict, flow, ToolRuleIds.PrivateDataEgress,
                    tainted ? "text of a private-data result would leave through an egress tool after untrusted content entered the conversation"
                            : "text of a private-data result would leave through an egress tool");
            }

            if (tainted)
            {
                verdict = Stronger(verdict, Options.UntrustedEgress, ToolRuleIds.UntrustedEgress,
                    $"egress tool '{rules.ToolName}' after untrusted content entered the conversation ({request.DescribeTaint()})");
            }
        }

        if (rules.Permission == ToolAccess.RequireApproval)
        {
            verdict = Stronger(verdict, ToolAccess.RequireApproval, ToolRuleIds.ApprovalRequired,
                $"tool '{rules.ToolName}' requires approval by rule '{rules.PermissionPattern}'");
        }

        return verdict;
    }

    /// <summary>Gets whether a call of this tool will need approval whatever its arguments: what MEAI's approval question can know.</summary>
    public bool NeedsApprovalUpFront(ToolRules rules, ToolLabels labels, ToolRequestState request) =>
        !Options.MonitorOnly && Options.Approver is null && rules.Permission != ToolAccess.Deny
        && (rules.Permission == ToolAccess.RequireApproval
            || ((labels & ToolLabels.Egress) != 0 && Options.UntrustedEgress == ToolAccess.RequireApproval && request.Tainted));

    private static ToolCallVerdict Stronger(ToolCallVerdict current, ToolAccess permission, string ruleId, string reason) =>
        permission > current.Outcome ? new ToolCallVerdict(permission, ruleId, reason, current.FlagRuleId) : current;

    private static string? CheckArguments(ToolRules rules, IDictionary<string, object?>? arguments)
    {
        foreach (ArgumentPath path in rules.Forbidden)
        {
            if (path.Exists(arguments, nonNull: false))
            {
                return $"argument '{path.Text}' is forbidden";
            }
        }

        foreach (ArgumentPath path in rules.Required)
        {
            if (!path.Exists(arguments, nonNull: true))
            {
                return $"argument '{path.Text}' is required";
            }
        }

        foreach (ToolArgumentConstraint constraint in rules.Constraints)
        {
            if (constraint.Path.Check(arguments, constraint) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private ToolCallVerdict ScanArguments(IDictionary<string, object?> arguments)
    {
        var scan = new ArgumentScan(ArgumentScanner);
        foreach (KeyValuePair<string, object?> argument in arguments)
        {
            ToolArgumentValue.VisitStrings(argument.Value, ref scan, static (ref ArgumentScan s, ReadOnlySpan<char> text) => s.Visit(text));
        }

        ToolCallVerdict verdict = ToolCallVerdict.Allowed;
        if (scan.Secret)
        {
            verdict = Apply(verdict, Options.SecretInArguments, ToolRuleIds.SecretInArguments, $"the arguments carry a secret ({scan.SecretCategory})");
        }

        if (scan.Pii)
        {
            verdict = Apply(verdict, Options.PiiInArguments, ToolRuleIds.PiiInArguments, $"the arguments carry personal data ({scan.PiiCategory})");
        }

        return verdict;
    }

    private static ToolCallVerdict Apply(ToolCallVerdict verdict, GuardrailAction action, string ruleId, string reason) => action switch
    {
        GuardrailAction.Block => verdict.Outcome == ToolAccess.Deny ? verdict : new ToolCallVerdict(ToolAccess.Deny, ruleId, reason, verdict.FlagRuleId),
        GuardrailAction.RequireApproval => Stronger(verdict, ToolAccess.RequireApproval, ruleId, reason),
        GuardrailAction.Flag => verdict with { FlagRuleId = verdict.FlagRuleId ?? ruleId },
        _ => verdict,
    };

    private ToolRules Compute(string toolName)
    {
        ToolAccess? permission = null;
        string? pattern = null;
        int bestRank = -1;
        foreach ((ToolGlob glob, ToolAccess candidate) in Options.PermissionRules)
        {
            if (!glob.IsMatch(toolName))
            {
                continue;
            }

            // Exact names first, then the most pinned characters, then the most restrictive permission.
            int rank = ((glob.IsExact ? 1 : 0) << 24) | (Math.Min(glob.Specificity, 0xFFFF) << 4) | (int)candidate;
            if (rank > bestRank)
            {
                bestRank = rank;
                permission = candidate;
                pattern = glob.Pattern;
            }
        }

        ToolLabels labels = ToolLabels.None;
        foreach ((ToolGlob glob, ToolLabels l) in Options.LabelRules)
        {
            labels |= glob.IsMatch(toolName) ? l : ToolLabels.None;
        }

        var required = new List<ArgumentPath>();
        var forbidden = new List<ArgumentPath>();
        var constraints = new List<ToolArgumentConstraint>();
        foreach ((ToolGlob glob, ToolArgumentPolicy policy) in Options.ArgumentRules)
        {
            if (glob.IsMatch(toolName))
            {
                required.AddRange(policy.Required);
                forbidden.AddRange(policy.Forbidden);
                constraints.AddRange(policy.Constraints);
            }
        }

        return new ToolRules
        {
            ToolName = toolName,
            Permission = permission ?? (Options.Strict ? ToolAccess.Deny : ToolAccess.Allow),
            PermissionPattern = pattern,
            Labels = labels,
            Required = [.. required.DistinctBy(p => p.Text, StringComparer.Ordinal)],
            Forbidden = [.. forbidden.DistinctBy(p => p.Text, StringComparer.Ordinal)],
            Constraints = [.. constraints],
            Budgets = [.. Options.Budgets.Where(b => b.Glob.IsMatch(toolName))],
        };
    }

    /// <summary>Collects what the argument scanner finds across every string of a call's arguments.</summary>
    private struct ArgumentScan(TextScanner scanner)
    {
        public bool Secret;
        public bool Pii;
        public string? SecretCategory;
        public string? PiiCategory;

        public bool Visit(ReadOnlySpan<char> text)
        {
            TextScan scan = scanner.Scan(text);
            foreach (TextFinding finding in scan.Findings)
            {
                if (finding.Category.StartsWith("secret", StringComparison.Ordinal))
                {
                    Secret = true;
                    SecretCategory ??= finding.Category;
                }
                else if (finding.Category.StartsWith("pii", StringComparison.Ordinal))
                {
                    Pii = true;
                    PiiCategory ??= finding.Category;
                }
            }

            return !Secret;
        }
    }
}
