namespace SafetyLayers.Matching;

/// <summary>Collects patterns and options, then compiles them into an immutable <see cref="PatternSet"/>.</summary>
/// <remarks>
/// The builder is the build phase: it validates input and allocates freely. It is not thread-safe; the
/// <see cref="PatternSet"/> it builds is. Pattern ids are 0, 1, 2, ... in the order of <see cref="Add(string)"/> calls.
/// </remarks>
/// <example>
/// <code>
/// PatternSet set = new PatternSetBuilder { IgnoreCase = true }.Add("api_key=").Add("password").Build();
/// if (set.TryFindFirst(text, out PatternMatch match)) { /* match.PatternId, match.Index, match.Length */ }
/// </code>
/// </example>
public sealed class PatternSetBuilder
{
    private readonly List<string> _patterns = [];
    private MatchKind _matchKind = MatchKind.LeftmostLongest;

    /// <summary>Gets or sets a value indicating whether characters match regardless of case.</summary>
    /// <value>
    /// The default is <see langword="false"/>. When <see langword="true"/>, two UTF-16 code units match when
    /// <see cref="char.ToUpperInvariant(char)"/> maps them to the same character.
    /// </value>
    public bool IgnoreCase { get; set; }

    /// <summary>Gets or sets which matches the built set reports.</summary>
    /// <value>The default is <see cref="Matching.MatchKind.LeftmostLongest"/>.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined <see cref="Matching.MatchKind"/>.</exception>
    public MatchKind MatchKind
    {
        get => _matchKind;
        set
        {
            if ((uint)value > (uint)MatchKind.LeftmostLongest)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The value is not a defined MatchKind.");
            }

            _matchKind = value;
        }
    }

    /// <summary>Gets the number of patterns added so far.</summary>
    public int Count => _patterns.Count;

    internal ScanEngine? ForcedEngine { get; private set; }

    internal PrefilterKind? ForcedPrefilter { get; private set; }

    internal bool? ForcedVerification { get; private set; }

    internal bool? ForcedNarrowDfa { get; private set; }

    /// <summary>Adds a pattern; its id is the number of patterns added before it.</summary>
    /// <param name="pattern">The literal text to find. Duplicates are allowed and keep their own ids.</param>
    /// <returns>This builder, so calls can be chained.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> is empty.</exception>
    public PatternSetBuilder Add(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (pattern.Length == 0)
        {
            throw new ArgumentException($"Pattern {_patterns.Count} is empty; an empty pattern would match everywhere.", nameof(pattern));
        }

        _patterns.Add(pattern);
        return this;
    }

    /// <summary>Adds several patterns, in order.</summary>
    /// <param name="patterns">The patterns to add.</param>
    /// <returns>This builder, so calls can be chained.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="patterns"/> or one of its items is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A pattern is empty.</exception>
    public PatternSetBuilder AddRange(IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        foreach (string pattern in patterns)
        {
            Add(pattern);
        }

        return this;
    }

    /// <summary>Compiles the patterns added so far into an immutable, thread-safe <see cref="PatternSet"/>.</summary>
    /// <returns>The compiled set. A set without patterns is valid and never matches.</returns>
    /// <remarks>The builder can be changed and built again afterwards; earlier sets are not affected.</remarks>
    public PatternSet Build() => new([.. _patterns], IgnoreCase, MatchKind, ForcedEngine, ForcedPrefilter, ForcedVerification, ForcedNarrowDfa);

    /// <summary>Forces the automaton, whatever the size of the pattern set (tests and benchmarks).</summary>
    internal PatternSetBuilder ForceEngine(ScanEngine engine)
    {
        ForcedEngine = engine;
        return this;
    }

    /// <summary>Forces the prefilter, whatever the pattern set and the hardware (tests and benchmarks).</summary>
    internal PatternSetBuilder ForcePrefilter(PrefilterKind prefilter)
    {
        ForcedPrefilter = prefilter;
        return this;
    }

    /// <summary>
    /// Forces whether the leftmost kinds check Teddy's candidates against the patterns directly (<see langword="true"/>) or
    /// with the automaton (<see langword="false"/>), whatever the size of the set (tests and benchmarks).
    /// </summary>
    internal PatternSetBuilder ForceCandidateVerification(bool verify)
    {
        ForcedVerification = verify;
        return this;
    }

    /// <summary>
    /// Forces whether the dense automaton uses 16-bit transitions (<see langword="true"/>, when the set has at most 65,536
    /// states) or 32-bit ones, whatever the size of its table (tests and benchmarks).
    /// </summary>
    internal PatternSetBuilder ForceNarrowDfa(bool narrow)
    {
        ForcedNarrowDfa = narrow;
        return this;
    }
}
