using System.Text;

namespace SafetyLayers.Tests.Output;

/// <summary>
/// Issue 5: the streaming filter holds back only what a match could still need. With the default output policy, benign text
/// arrives within the short bound plus one rescan batch; long secrets (PEM keys, JWTs) are held from their start anchor and still fully redacted; a
/// long rule without an anchor falls back to its full length.
/// </summary>
public sealed class StreamingRedactorHoldbackTests
{
    private static readonly string[] s_benignWords = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "and", "runs", "far", "away", "from", "home"];

    internal const string Jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";

    internal static readonly string PemKey = "-----BEGIN RSA PRIVATE KEY-----\n"
        + string.Concat(Enumerable.Repeat("MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n", 20))
        + "-----END RSA PRIVATE KEY-----";

    private static string Benign(int length, int seed = 1)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        while (text.Length < length)
        {
            text.Append(s_benignWords[random.Next(s_benignWords.Length)]).Append(random.Next(6) == 0 ? ". " : " ");
        }

        return text.ToString(0, length);
    }

    private static List<string> Stream(StreamingRedactor redactor, string text, int chunk)
    {
        var prefixes = new List<string>();
        var emitted = new StringBuilder();
        for (int i = 0; i < text.Length; i += chunk)
        {
            emitted.Append(redactor.Append(text.AsSpan(i, Math.Min(chunk, text.Length - i))));
            prefixes.Add(emitted.ToString());
        }

        emitted.Append(redactor.Complete());
        prefixes.Add(emitted.ToString());
        return prefixes;
    }

    [Fact]
    public void Append_Benign2000CharactersIn4CharacterChunks_EmittedIncrementallyWithinShortBound()
    {
        // Arrange
        TextScanner scanner = GuardrailsDefaults.OutputScanner;
        int shortBound = scanner.ShortMatchLength;
        string text = Benign(2000);
        var redactor = new StreamingRedactor(scanner, PlaceholderFormatter.Default);

        // Act
        List<string> prefixes = Stream(redactor, text, 4);

        // Assert
        shortBound.Should().BeLessThanOrEqualTo(256).And.BeLessThan(scanner.MaxMatchLength);
        prefixes[^1].Should().Be(text, "ordinary text passes byte for byte");
        int bound = shortBound + StreamingRedactor.MinBatch + 4;
        redactor.MaxHeld.Should().BeLessThanOrEqualTo(bound, "held: the short bound, one batch between rescans and a chunk");
        prefixes[^2].Length.Should().BeGreaterThanOrEqualTo(text.Length - bound, "all but the held tail was emitted before the end");
        prefixes.Count(p => p.Length > 0).Should().BeGreaterThan(prefixes.Count / 2, "text is emitted as it arrives, not at the end");
    }

    [Theory, InlineData(1), InlineData(3), InlineData(7), InlineData(64)]
    public void Append_PemKeySplitAcrossChunks_FullyRedactedAndNoPrefixLeaks(int chunk)
    {
        // Arrange
        TextScanner scanner = GuardrailsDefaults.OutputScanner;
        string intro = Benign(400, seed: 2);
        string text = intro + "\n" + PemKey + "\n" + Benign(300, seed: 3);
        string expected = StreamingRedactor.Filter(scanner, PlaceholderFormatter.Default, text, out _, null);
        var redactor = new StreamingRedactor(scanner, PlaceholderFormatter.Default);

        // Act
        List<string> prefixes = Stream(redactor, text, chunk);

        // Assert
        expected.Should().Contain("[REDACTED:PRIVATE_KEY]").And.NotContain("MIIEowIBAAKCAQEA").And.NotContain("-----BEGIN");
        prefixes[^1].Should().Be(expected);
        prefixes.Should().OnlyContain(p => !p.Contains("-----BEGIN", StringComparison.Ordinal) && !p.Contains("MIIEow", StringComparison.Ordinal));
        int keyArrived = (intro.Length + PemKey.Length) / chunk;
        prefixes[keyArrived].Length.Should().BeGreaterThanOrEqualTo(intro.Length - scanner.ShortMatchLength - StreamingRedactor.MinBatch - chunk,
            "the text before the key is not held back with it");
    }

    [Theory, InlineData(1), InlineData(5), InlineData(16)]
    public void Append_JwtSplitAcrossChunks_FullyRedactedAndNoPrefixLeaks(int chunk)
    {
        // Arrange
        TextScanner scanner = GuardrailsDefaults.OutputScanner;
        string text = Benign(200, seed: 4) + " " + Jwt + " " + Benign(200, seed: 5);
        var redactor = new StreamingRedactor(scanner, PlaceholderFormatter.Default);

        // Act
        List<string> prefixes = Stream(redactor, text, chunk);

        // Assert
        prefixes[^1].Should().Be(StreamingRedactor.Filter(scanner, PlaceholderFormatter.Default, text, out _, null)).And.Contain("[REDACTED:JWT]");
        prefixes.Should().OnlyContain(p => !p.Contains("eyJhbGciOiJIUzI1NiJ9", StringComparison.Ordinal) && !p.Contains("dozjgNryP4J3", StringComparison.Ordinal));
    }

    [Fact]
    public void Append_LongRuleWithoutAnchor_FallsBackToItsFullLength()
    {
        // Arrange
        var rule = new ScanRule("ACME-SEC-0001", "Hex blob", "secret_hex", RuleSeverity.High, GuardrailAction.Redact, new RegexDetector(@"\b[0-9a-f]{600}\b", 600));
        ScanPolicy policy = new ScanPolicyBuilder().AddPack(new RulePack("ACME", "Acme", "1", TextNormalization.None, [rule])).Build();
        var scanner = new PolicyTextScanner(policy);
        string blob = string.Concat(Enumerable.Range(0, 600).Select(i => "0123456789abcdef"[(i * 7) % 16]));
        string text = Benign(700, seed: 6) + " " + blob + " " + Benign(700, seed: 7);
        var redactor = new StreamingRedactor(scanner, PlaceholderFormatter.Default);

        // Act
        List<string> prefixes = Stream(redactor, text, 5);

        // Assert
        scanner.ShortMatchLength.Should().Be(600, "a rule without a provable start anchor is held back at its full length");
        prefixes[^1].Should().Be(Benign(700, seed: 6) + " [REDACTED:HEX] " + Benign(700, seed: 7));
        string blobStart = blob[..64];
        prefixes.Should().OnlyContain(p => !p.Contains(blobStart, StringComparison.Ordinal));
        redactor.MaxHeld.Should().BeGreaterThanOrEqualTo(600);
    }

    [Fact]
    public void EarliestPendingStart_AnchorAfterWordCharacter_NotHeld()
    {
        // Arrange: "eyJ" of the JWT rule needs \b before it; inside a word it cannot start a JWT.
        TextScanner scanner = GuardrailsDefaults.OutputScanner;
        string inWord = Benign(300) + " heyJude " + Benign(300, seed: 8);
        string atWord = Benign(300) + " eyJude " + Benign(300, seed: 8);
        int anchorAt = 301;

        // Act
        int pendingInWord = scanner.EarliestPendingStart(inWord, 0, out int stableInWord);
        int pendingAtWord = scanner.EarliestPendingStart(atWord, 0, out int stableAtWord);

        // Assert
        pendingInWord.Should().Be(inWord.Length - scanner.ShortMatchLength);
        stableInWord.Should().Be(inWord.Length + 1, "the short bound moves with every character");
        pendingAtWord.Should().Be(anchorAt, "a JWT could still start at the anchor");
        stableAtWord.Should().Be(anchorAt + 4096 + 1, "the anchor holds until the window is longer than the longest JWT from it");
    }
}
