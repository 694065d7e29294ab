using System.Text.RegularExpressions;

namespace SafetyLayers.Tests;

/// <summary>A small policy for the layer tests: forbidden phrases (Block), flagged phrases (Flag), e-mail addresses and API keys (Redact).</summary>
internal sealed partial class TestScanner : TextScanner
{
    public static readonly string[] BlockedPhrases = ["ignore previous instructions", "as dan"];
    public static readonly string[] FlaggedPhrases = ["password"];

    public static TestScanner Instance { get; } = new();

    // Bounded patterns, so MaxMatchLength is exact: 20 + 1 + 15 + 4 for an e-mail, 3 + 24 for a key.
    [GeneratedRegex(@"\b[a-z0-9._]{1,20}@[a-z0-9]{1,15}\.(?:com|org|net)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    [GeneratedRegex(@"\bsk-[A-Za-z0-9]{24}\b", RegexOptions.CultureInvariant)]
    private static partial Regex ApiKey();

    public override int MaxMatchLength => 40;

    public int Scans;

    public override TextScan Scan(ReadOnlySpan<char> text)
    {
        Interlocked.Increment(ref Scans);
        List<TextFinding>? findings = null;
        foreach (string phrase in BlockedPhrases)
        {
            AddPhrase(text, phrase, GuardrailAction.Block, "SL-TEST-0001", "prompt_injection", ref findings);
        }

        foreach (string phrase in FlaggedPhrases)
        {
            AddPhrase(text, phrase, GuardrailAction.Flag, "SL-TEST-0002", "credentials_talk", ref findings);
        }

        foreach (ValueMatch match in Email().EnumerateMatches(text))
        {
            (findings ??= []).Add(new TextFinding(match.Index, match.Length, GuardrailAction.Redact, "SL-TEST-0003", "pii_email", "EMAIL"));
        }

        foreach (ValueMatch match in ApiKey().EnumerateMatches(text))
        {
            (findings ??= []).Add(new TextFinding(match.Index, match.Length, GuardrailAction.Redact, "SL-TEST-0004", "secret_api_key", "API_KEY"));
        }

        if (findings is null)
        {
            return default;
        }

        findings.Sort((a, b) => a.Index != b.Index ? a.Index.CompareTo(b.Index) : b.Length.CompareTo(a.Length));
        return new TextScan([.. findings]);
    }

    private static void AddPhrase(ReadOnlySpan<char> text, string phrase, GuardrailAction action, string id, string category, ref List<TextFinding>? findings)
    {
        int from = 0;
        while (from < text.Length)
        {
            int i = text[from..].IndexOf(phrase, StringComparison.OrdinalIgnoreCase);
            if (i < 0)
            {
                break;
            }

            (findings ??= []).Add(new TextFinding(from + i, phrase.Length, action, id, category, category.ToUpperInvariant()));
            from += i + 1;
        }
    }
}

/// <summary>A scanner that always fails, for the fail-closed tests.</summary>
internal sealed class ThrowingScanner : TextScanner
{
    public override int MaxMatchLength => 10;

    public override TextScan Scan(ReadOnlySpan<char> text) => throw new InvalidOperationException("scanner broke");
}
