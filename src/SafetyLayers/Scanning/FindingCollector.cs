namespace SafetyLayers.Scanning;

/// <summary>Collects the findings of one scan; allocates only when the first finding arrives.</summary>
internal struct FindingCollector
{
    private List<ScanFinding>? _findings;

    public GuardrailAction Verdict { get; private set; }

    public readonly int Count => _findings?.Count ?? 0;

    public void Add(ScanRule rule, int index, int length)
    {
        _findings ??= new List<ScanFinding>(4);
        var finding = new ScanFinding(rule, index, length);
        foreach (ScanFinding existing in _findings)
        {
            if (existing == finding)
            {
                return;
            }
        }

        _findings.Add(finding);
        if (rule.Action > Verdict)
        {
            Verdict = rule.Action;
        }
    }

    public readonly ScanResult ToResult()
    {
        if (_findings is null)
        {
            return default;
        }

        ScanFinding[] findings = [.. _findings];
        Array.Sort(findings, static (a, b) => a.Index != b.Index ? a.Index.CompareTo(b.Index)
            : a.Length != b.Length ? b.Length.CompareTo(a.Length)
            : string.CompareOrdinal(a.RuleId, b.RuleId));
        return new ScanResult(findings, Verdict);
    }
}
