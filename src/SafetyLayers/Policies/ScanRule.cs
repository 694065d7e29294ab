using System.Text.RegularExpressions;

namespace SafetyLayers;

/// <summary>Represents one detection rule: a stable id, what it finds, and what a guard does with it.</summary>
/// <remarks>
/// Ids have the form <c>SL-&lt;PACK&gt;-&lt;NNNN&gt;</c> for built-in rules (for example <c>SL-PII-0001</c>); teams use their
/// own prefix (<c>ACME-PII-0001</c>). An id never changes meaning once released, so audit logs and dashboards can rely on it.
/// Instances are immutable and thread-safe.
/// </remarks>
public sealed partial class ScanRule
{
    /// <summary>Initializes a new instance of the <see cref="ScanRule"/> class.</summary>
    /// <param name="id">The stable id, such as <c>SL-PII-0001</c>.</param>
    /// <param name="title">A short human-readable title.</param>
    /// <param name="category">The category reported with findings, such as <c>pii_email_address</c>.</param>
    /// <param name="severity">The severity.</param>
    /// <param name="action">What a guard does with a finding of this rule.</param>
    /// <param name="detector">How the rule finds content.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not of the form <c>PREFIX-PACK-NNNN</c>, or a text is empty.</exception>
    public ScanRule(string id, string title, string category, RuleSeverity severity, GuardrailAction action, RuleDetector detector)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentException.ThrowIfNullOrWhiteSpace(category);
        ArgumentNullException.ThrowIfNull(detector);
        if (!IdPattern().IsMatch(id))
        {
            throw new ArgumentException($"The rule id \"{id}\" is not of the form PREFIX-PACK-NNNN (for example SL-PII-0001).", nameof(id));
        }

        Id = id;
        Title = title;
        Category = category;
        Severity = severity;
        Action = action;
        Detector = detector;
        _label = DefaultLabel(category);
        Placeholder = $"[REDACTED:{_label}]";
    }

    /// <summary>Gets the stable id.</summary>
    public string Id { get; }

    /// <summary>Gets the short title.</summary>
    public string Title { get; }

    /// <summary>Gets the category reported with findings.</summary>
    public string Category { get; }

    /// <summary>Gets the severity.</summary>
    public RuleSeverity Severity { get; }

    /// <summary>Gets what a guard does with a finding of this rule.</summary>
    public GuardrailAction Action { get; private init; }

    /// <summary>Gets the detector.</summary>
    public RuleDetector Detector { get; }

    /// <summary>Gets or initializes the redaction label, such as <c>EMAIL</c>; the placeholder is <c>[REDACTED:EMAIL]</c>.</summary>
    /// <value>The default is the category without its <c>pii_</c> or <c>secret_</c> prefix, in upper case.</value>
    public string Label
    {
        get => _label;
        init
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value);
            _label = value;
            Placeholder = $"[REDACTED:{value}]";
        }
    }

    /// <summary>Gets the text that replaces a redacted finding: <c>[REDACTED:</c><see cref="Label"/><c>]</c>.</summary>
    public string Placeholder { get; private set; }

    /// <summary>Gets or initializes links that explain the technique or format (OWASP, vendor docs, standards).</summary>
    /// <value>The default is an empty list.</value>
    public IReadOnlyList<string> References { get; init; } = [];

    /// <summary>Gets or initializes texts on which the rule must fire; the pack loader and the test suite check them.</summary>
    /// <value>The default is an empty list.</value>
    public IReadOnlyList<string> PositiveExamples { get; init; } = [];

    /// <summary>Gets or initializes texts on which the rule must not fire.</summary>
    /// <value>The default is an empty list.</value>
    public IReadOnlyList<string> NegativeExamples { get; init; } = [];

    private readonly string _label;

    /// <summary>Returns a copy of this rule with another action.</summary>
    /// <param name="action">The action of the copy.</param>
    /// <returns>This rule when the action is the same; otherwise a copy.</returns>
    public ScanRule WithAction(GuardrailAction action) => action == Action ? this : new ScanRule(this, action);

    private ScanRule(ScanRule other, GuardrailAction action)
    {
        Id = other.Id;
        Title = other.Title;
        Category = other.Category;
        Severity = other.Severity;
        Detector = other.Detector;
        _label = other._label;
        Placeholder = other.Placeholder;
        References = other.References;
        PositiveExamples = other.PositiveExamples;
        NegativeExamples = other.NegativeExamples;
        Action = action;
    }

    private static string DefaultLabel(string category)
    {
        string label = category;
        foreach (string prefix in (ReadOnlySpan<string>)["pii_", "secret_"])
        {
            if (label.StartsWith(prefix, StringComparison.Ordinal))
            {
                label = label[prefix.Length..];
            }
        }

        return label.ToUpperInvariant();
    }

    [GeneratedRegex(@"^[A-Z][A-Z0-9]{1,15}-[A-Z][A-Z0-9]{0,15}-[0-9]{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
