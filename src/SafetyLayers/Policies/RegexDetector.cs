using System.Text.RegularExpressions;
using SafetyLayers.Scanning;

namespace SafetyLayers;

/// <summary>A detector that matches a regular expression, optionally gated by a literal prefilter and confirmed by a validator.</summary>
/// <remarks>
/// <para>
/// Patterns run with the backtracking engine and a match timeout of <see cref="MatchTimeout"/> (no ReDoS: a
/// pathological input costs at most the timeout per rule and scan). A scan that times out fails closed: the rule reports a
/// finding over the whole text. A policy starts with interpreted regexes, so it builds fast; once a pattern has run a few
/// hundred times, a background thread builds it with <see cref="RegexOptions.Compiled"/> (once per process and pattern) and
/// the policy switches to that instance, which finds the same matches several times faster. The AppContext switch
/// <c>SafetyLayers.Scanning.DisableCompiledRegexes</c> keeps every regex interpreted. <see cref="RegexOptions.NonBacktracking"/> was measured and rejected as the default: constructing
/// the built-in patterns took about 0.9 s against 10 ms interpreted, far over the 50 ms budget for building the default policy.
/// Patterns should still use bounded quantifiers; the test suite feeds 100 KB of pathological input to every built-in regex.
/// </para>
/// <para>
/// <see cref="Prefilter"/> literals (case-insensitive) and <see cref="PrefilterCharacters"/> let a policy skip the regex
/// on texts that cannot match; the literals of all rules share the policy's one matcher pass. With a prefilter, the regex
/// runs only over windows around the prefilter hits: from <see cref="MaxMatchLength"/> characters before a hit to
/// <see cref="MaxMatchLength"/> (plus 32 for look-aheads) after it, seeing the whole text before the window for look-behinds.
/// A rule whose matches always contain a hit can declare <see cref="MaxLengthBeforePrefilter"/> to start the window closer to
/// the hit, and <see cref="CharactersBeforePrefilter"/> to start it at the run of those characters before the hit. So each match must contain a prefilter hit (or begin within <see cref="MaxMatchLength"/> characters of one), and
/// look-aheads must stay within 32 characters of the match; the built-in rules are tested for the same findings as a
/// whole-text run. A match that runs into a window's end is rechecked on a longer window. When the pattern has a
/// group named <c>value</c>, the finding covers only that group (the secret, not the <c>api_key=</c> before it) and the
/// validator sees only that group.
/// </para>
/// </remarks>
public sealed class RegexDetector : RuleDetector
{
    /// <summary>Initializes a new instance of the <see cref="RegexDetector"/> class.</summary>
    /// <param name="pattern">The .NET regular expression.</param>
    /// <param name="maxMatchLength">The longest text one match can cover; a streaming filter holds back this many characters.</param>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The pattern is not a valid .NET regular expression.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxMatchLength"/> is not positive.</exception>
    public RegexDetector(string pattern, int maxMatchLength)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMatchLength);
        Pattern = pattern;
        MaxMatchLength = maxMatchLength;
        _ = CreateRegex(pattern, ignoreCase: false);   // fail at construction, not at the first scan
    }

    /// <summary>Gets the regular expression.</summary>
    public string Pattern { get; }

    /// <summary>Gets or initializes a value indicating whether the pattern ignores case (invariant culture).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool IgnoreCase { get; init; }

    /// <summary>Gets or initializes literals, one of which (ignoring case) must occur in every match; the regex runs only around their occurrences.</summary>
    /// <value>The default is an empty list: no literal prefilter.</value>
    public IReadOnlyList<string> Prefilter { get; init; } = [];

    /// <summary>Gets or initializes characters, one of which must occur in every match (for example the digits); the regex runs only around their occurrences.</summary>
    /// <value>The default is <see langword="null"/>: no character prefilter.</value>
    public string? PrefilterCharacters { get; init; }

    /// <summary>
    /// Gets or initializes how many of the <see cref="PrefilterCharacters"/> every match contains at least; the regex skips the
    /// windows that hold fewer.
    /// </summary>
    /// <value>
    /// The default is <see langword="null"/>: one. A US Social Security number such as <c>536-22-1234</c> holds nine digits, so a
    /// year or a price next to no other digits never runs its regex.
    /// </value>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than one or greater than <see cref="MaxMatchLength"/>.</exception>
    public int? MinPrefilterCharacters
    {
        get => _minPrefilterCharacters;
        init => _minPrefilterCharacters = CheckLength(value, 1);
    }

    /// <summary>
    /// Gets or initializes how many characters that are not <see cref="PrefilterCharacters"/> can stand between two consecutive
    /// prefilter characters of one match; the regex then skips every cluster of prefilter characters (each at most this far from
    /// the next) that holds fewer than <see cref="MinPrefilterCharacters"/> of them.
    /// </summary>
    /// <value>
    /// The default is <see langword="null"/>: any distance, and <see cref="MinPrefilterCharacters"/> counts the digits of a whole
    /// window. The digits of a US Social Security number such as <c>536-22-1234</c> are at most one separator apart, so with
    /// <c>1</c> a date such as <c>June 20, 2023</c> (two and four digits, two characters apart) never runs the regex.
    /// </value>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or greater than <see cref="MaxMatchLength"/>.</exception>
    public int? MaxPrefilterGap
    {
        get => _maxPrefilterGap;
        init => _maxPrefilterGap = CheckLength(value, 0);
    }

    /// <summary>
    /// Gets or initializes how many characters before the start of a prefilter hit a match can begin, when every match contains a
    /// prefilter hit; the regex then starts only from that far before each hit and stops after the match that covers the last hit
    /// of a window.
    /// </summary>
    /// <value>
    /// The default is <see langword="null"/>: a match can begin up to <see cref="MaxMatchLength"/> characters before or after a hit.
    /// For an e-mail address with the prefilter character <c>@</c>, the local part before it is at most 64 characters.
    /// </value>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or greater than <see cref="MaxMatchLength"/>.</exception>
    public int? MaxLengthBeforePrefilter
    {
        get => _maxLengthBeforePrefilter;
        init => _maxLengthBeforePrefilter = CheckLength(value, 0);
    }

    /// <summary>
    /// Gets or initializes the characters a match can have before its prefilter hit; with <see cref="MaxLengthBeforePrefilter"/>,
    /// the regex starts no earlier than the first of the characters that run up to the hit.
    /// </summary>
    /// <value>
    /// The default is <see langword="null"/>: any character. For an e-mail address, the characters of a local part.
    /// </value>
    public string? CharactersBeforePrefilter { get; init; }

    /// <summary>
    /// Gets or initializes a value indicating whether every match begins where a word begins: with a letter or digit that no
    /// letter or digit precedes, or with a CJK or kana character (U+2E80 and up).
    /// With <see cref="MaxLengthBeforePrefilter"/>, the regex is then tried only at those places before a hit.
    /// </summary>
    /// <value>
    /// The default is <see langword="false"/>. True for a pattern each of whose alternatives begins with <c>\b</c> followed by a
    /// letter or digit, or with a CJK or kana character; a match starting inside a word, or at a space or punctuation, is not
    /// found once this is declared.
    /// </value>
    public bool StartsAtWordBoundary { get; init; }

    /// <summary>Gets or initializes the name of the validator that confirms each match (see <c>docs/policies.md</c>), such as <c>luhn</c> or <c>iban</c>.</summary>
    /// <value>The default is <see langword="null"/>: every match is a finding.</value>
    /// <exception cref="ArgumentException">The name is not a known validator.</exception>
    public string? Validator
    {
        get => _validator;
        init
        {
            if (value is not null && !RuleValidators.IsKnown(value))
            {
                throw new ArgumentException($"Unknown validator \"{value}\". Known validators: {string.Join(", ", RuleValidators.Names)}.", nameof(value));
            }

            _validator = value;
        }
    }

    /// <inheritdoc/>
    public override int MaxMatchLength { get; }

    private readonly string? _validator;
    private readonly int? _maxLengthBeforePrefilter;
    private readonly int? _minPrefilterCharacters;
    private readonly int? _maxPrefilterGap;

    /// <summary>The longest time one regex may spend on one text before the scan fails closed.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Returns <paramref name="value"/> when it is null or between <paramref name="min"/> and <see cref="MaxMatchLength"/>.</summary>
    private int? CheckLength(int? value, int min, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value is { } length)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(length, min, name);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(length, MaxMatchLength, name);
        }

        return value;
    }

    internal static RegexOptions Options(bool ignoreCase) =>
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);

    internal static Regex CreateRegex(string pattern, bool ignoreCase)
    {
        try
        {
            return new Regex(pattern, Options(ignoreCase), MatchTimeout);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"The pattern is not a valid .NET regular expression: {ex.Message}", nameof(pattern), ex);
        }
    }
}
