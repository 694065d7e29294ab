namespace SafetyLayers;

/// <summary>The outcome of one <see cref="TextScanner.Scan(ReadOnlySpan{char})"/> call: its findings and their strongest action.</summary>
internal readonly struct TextScan
{
    private readonly TextFinding[]? _findings;

    public TextScan(TextFinding[]? findings)
    {
        _findings = findings is { Length: > 0 } ? findings : null;
        GuardrailAction verdict = GuardrailAction.Allow;
        if (_findings is not null)
        {
            foreach (TextFinding finding in _findings)
            {
                verdict = finding.Action > verdict ? finding.Action : verdict;
            }
        }

        Verdict = verdict;
    }

    /// <summary>Gets the strongest action of the findings, or <see cref="GuardrailAction.Allow"/>.</summary>
    public GuardrailAction Verdict { get; }

    /// <summary>Gets the findings, ordered by index, longer first at the same index.</summary>
    public ReadOnlySpan<TextFinding> Findings => _findings;

    /// <summary>Gets a value indicating whether any rule fired.</summary>
    public bool HasFindings => _findings is not null;
}
