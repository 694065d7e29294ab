using System.Text;

namespace SafetyLayers;

/// <summary>Represents the outcome of scanning one text: the findings and the verdict, the strongest action among them.</summary>
/// <remarks>A result without findings has the verdict <see cref="GuardrailAction.Allow"/> and allocates nothing.</remarks>
public readonly struct ScanResult
{
    private readonly ScanFinding[]? _findings;

    internal ScanResult(ScanFinding[]? findings, GuardrailAction verdict)
    {
        _findings = findings;
        Verdict = verdict;
    }

    /// <summary>Gets the strongest action of all findings, or <see cref="GuardrailAction.Allow"/> when there is none.</summary>
    public GuardrailAction Verdict { get; }

    /// <summary>Gets the findings, ordered by <see cref="ScanFinding.Index"/>, longer first at the same index.</summary>
    public IReadOnlyList<ScanFinding> Findings => _findings ?? [];

    /// <summary>Gets a value indicating whether any rule fired.</summary>
    public bool HasFindings => _findings is { Length: > 0 };

    /// <summary>Returns <paramref name="text"/> with every finding whose action is <see cref="GuardrailAction.Redact"/> replaced by its placeholder.</summary>
    /// <param name="text">The text that was scanned.</param>
    /// <returns>The redacted text; <paramref name="text"/> itself when nothing is redacted.</returns>
    /// <remarks>Overlapping findings are merged; the merged span takes the placeholder of its first finding.</remarks>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_findings is null)
        {
            return text;
        }

        StringBuilder? builder = null;
        int copied = 0;
        int i = 0;
        while (i < _findings.Length)
        {
            ScanFinding finding = _findings[i++];
            if (finding.Action != GuardrailAction.Redact)
            {
                continue;
            }

            int start = Math.Max(finding.Index, copied);
            int end = finding.End;
            while (i < _findings.Length && _findings[i].Index < end)
            {
                if (_findings[i].Action == GuardrailAction.Redact)
                {
                    end = Math.Max(end, _findings[i].End);
                }

                i++;
            }

            if (end <= start)
            {
                continue;
            }

            builder ??= new StringBuilder(text.Length);
            builder.Append(text, copied, start - copied).Append(finding.Placeholder);
            copied = end;
        }

        return builder is null ? text : builder.Append(text, copied, text.Length - copied).ToString();
    }
}
