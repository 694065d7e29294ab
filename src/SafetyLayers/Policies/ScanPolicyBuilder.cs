using SafetyLayers.Scanning;

namespace SafetyLayers;

/// <summary>Collects rule packs and compiles them into a <see cref="ScanPolicy"/>.</summary>
/// <remarks>
/// Build time and scan time are separate types, as with <c>PatternSetBuilder</c> and <c>PatternSet</c>: this builder is
/// mutable and not thread-safe; the policy it builds is immutable and shared. A rule added twice (for example by two packs
/// that include the same secret rules) is kept once, with the stronger action.
/// </remarks>
public sealed class ScanPolicyBuilder
{
    private readonly List<PolicyRule> _rules = [];

    /// <summary>Adds every rule of <paramref name="pack"/> with the actions the pack gives them.</summary>
    /// <param name="pack">The pack.</param>
    /// <returns>This builder, so calls can be chained.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pack"/> is <see langword="null"/>.</exception>
    public ScanPolicyBuilder AddPack(RulePack pack)
    {
        ArgumentNullException.ThrowIfNull(pack);
        foreach (ScanRule rule in pack.Rules)
        {
            Add(new PolicyRule(rule, pack.Normalization));
        }

        return this;
    }

    /// <summary>Adds every rule of <paramref name="pack"/>, all with the same <paramref name="action"/>.</summary>
    /// <param name="pack">The pack.</param>
    /// <param name="action">The action of every rule of the pack in this policy, for example <see cref="GuardrailAction.Redact"/> for secrets in output.</param>
    /// <returns>This builder, so calls can be chained.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pack"/> is <see langword="null"/>.</exception>
    public ScanPolicyBuilder AddPack(RulePack pack, GuardrailAction action)
    {
        ArgumentNullException.ThrowIfNull(pack);
        foreach (ScanRule rule in pack.Rules)
        {
            Add(new PolicyRule(rule.WithAction(action), pack.Normalization));
        }

        return this;
    }

    /// <summary>Compiles the rules added so far into an immutable policy.</summary>
    /// <returns>The policy.</returns>
    /// <remarks>Costs a few milliseconds for the built-in packs; build once per process and share the result.</remarks>
    public ScanPolicy Build() => new(_rules.ToArray());

    /// <summary>Compiles the rules with every regex run over the whole text of every scan, prefilters ignored: the oracle of the prefilter tests.</summary>
    internal ScanPolicy BuildWithoutPrefilters() => new(_rules.ToArray(), prefilters: false);

    /// <summary>Compiles the rules with each view walking the text on its own: the oracle of the shared-walk tests.</summary>
    internal ScanPolicy BuildWithoutSharedWalk() => new(_rules.ToArray(), shareWalk: false);

    /// <summary>Compiles the rules with interpreted regexes only, never swapped for compiled ones: the oracle of the compiled-regex tests.</summary>
    internal ScanPolicy BuildInterpreted() => new(_rules.ToArray(), compileRegexes: false);

    private void Add(PolicyRule rule)
    {
        int existing = _rules.FindIndex(r => r.Rule.Id == rule.Rule.Id);
        if (existing < 0)
        {
            _rules.Add(rule);
        }
        else if (rule.Rule.Action > _rules[existing].Rule.Action)
        {
            _rules[existing] = rule;
        }
    }
}
