namespace SafetyLayers;

/// <summary>Specifies how serious a finding of a rule is; it informs audit and alerting, while <see cref="GuardrailAction"/> decides what happens.</summary>
public enum RuleSeverity
{
    /// <summary>Worth recording; rarely worth acting on alone.</summary>
    Low = 0,

    /// <summary>Suspicious; act on it in sensitive applications.</summary>
    Medium = 1,

    /// <summary>A likely attack or a likely leak of personal data.</summary>
    High = 2,

    /// <summary>A credential, a key or an unambiguous attack.</summary>
    Critical = 3,
}
