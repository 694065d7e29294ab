using SafetyLayers.Scanning;

namespace SafetyLayers;

/// <summary>Adapts a <see cref="ScanPolicy"/> to the layers' <see cref="TextScanner"/> seam.</summary>
/// <remarks>
/// <see cref="ScanPolicy.MaxMatchLength"/> is exact in original characters for rules on the original text (PII, secrets: the
/// default output policy). Rules on normalized text count normalized characters, and removed invisible characters or collapsed
/// white space can make the original span longer, so a policy with such rules gets twice the bound as streaming holdback.
/// Streaming filters hold back less through <see cref="ScanPolicy.Holdback"/>: the short bound, or from the earliest live start anchor.
/// </remarks>
internal sealed class PolicyTextScanner : TextScanner
{
    public PolicyTextScanner(ScanPolicy policy)
    {
        Policy = policy;
        MaxMatchLength = policy.Normalization == TextNormalization.None ? policy.MaxMatchLength : 2 * policy.MaxMatchLength;
        _holdback = policy.Holdback;
        ShortMatchLength = Math.Min(_holdback.ShortBound, MaxMatchLength);
    }

    private readonly StreamingHoldback _holdback;

    public ScanPolicy Policy { get; }

    public override int MaxMatchLength { get; }

    /// <inheritdoc/>
    public override int ShortMatchLength { get; }

    /// <inheritdoc/>
    public override int EarliestPendingStart(ReadOnlySpan<char> window, int from, out int stableBelow)
    {
        int pending = _holdback.EarliestPendingStart(window, from, out stableBelow);
        int longest = window.Length - MaxMatchLength;
        if (longest >= pending)
        {
            stableBelow = window.Length + 1;
            return longest;
        }

        return pending;
    }

    public override TextScan Scan(ReadOnlySpan<char> text)
    {
        ScanResult result = Policy.Scan(text);
        if (!result.HasFindings)
        {
            return default;
        }

        IReadOnlyList<ScanFinding> findings = result.Findings;
        var converted = new TextFinding[findings.Count];
        for (int i = 0; i < converted.Length; i++)
        {
            ScanFinding finding = findings[i];
            converted[i] = new TextFinding(finding.Index, finding.Length, finding.Action, finding.RuleId, finding.Category, finding.Rule.Label);
        }

        return new TextScan(converted);
    }
}
