namespace SafetyLayers.Scanning;

/// <summary>Collects the findings of one scan; allocates only when the first finding arrives.</summary>
internal struct FindingCollector
{
    private List<ScanFinding>? _findings;

    public GuardrailAction Verdict { get; private set; }

    public readonly int Count => _findings?.Count ?? 0;

    public void Add(ScanRule rule, int index, int length)
    {
        // Duplicates are dropped when the result is built, after sorting puts them side by side: checking each new finding
        // against all earlier ones made a text with thousands of findings cost time quadratic in their number.
        _findings ??= new List<ScanFinding>(4);
        _findings.Add(new ScanFinding(rule, index, length));
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
        int count = 0;
        foreach (ScanFinding finding in findings)
        {
            if (!IsDuplicate(findings, count, finding))
            {
                findings[count++] = finding;
            }
        }

        return new ScanResult(count == findings.Length ? findings : findings[..count], Verdict);
    }

    /// <summary>Returns whether the last kept findings with the same span and rule id (sorted together) hold <paramref name="finding"/>.</summary>
    private static bool IsDuplicate(ScanFinding[] kept, int count, ScanFinding finding)
    {
        for (int k = count - 1; k >= 0 && kept[k].Index == finding.Index && kept[k].Length == finding.Length && kept[k].RuleId == finding.RuleId; k--)
        {
            if (kept[k] == finding)
            {
                return true;
            }
        }

        return false;
    }
}
