using SafetyLayers.Matching.Automaton;
using SafetyLayers.Matching.Prefilters;

namespace SafetyLayers.Matching;

/// <summary>An immutable set of patterns compiled for fast multi-pattern search (Aho-Corasick).</summary>
/// <remarks>
/// <para>Built by <see cref="PatternSetBuilder"/>. Scanning is thread-safe, never throws because of the text, and allocates
/// nothing: the enumerators are <see langword="ref"/> structs.</para>
/// <para>Inside, a deterministic automaton over character equivalence classes (<see cref="ScanEngine.Dfa"/>), or a compact
/// automaton with failure links for very large sets (<see cref="ScanEngine.Nfa"/>), verifies candidates found by a vectorized
/// prefilter (<see cref="Prefilter"/>) while no match is in progress.</para>
/// </remarks>
public sealed partial class PatternSet
{
    /// <summary>Above this many bytes of transition table, the compact automaton is used instead of the dense one.</summary>
    internal const long MaxDfaBytes = 24L * 1024 * 1024;

    /// <summary>Above this many bytes of 32-bit transition table, the dense automaton uses 16-bit transitions (<see cref="NarrowDfa"/>) when it can.</summary>
    /// <remarks>Smaller tables mostly sit in the first- and second-level caches, where the extra shift of a step costs more than the bytes saved.</remarks>
    internal const long MinNarrowDfaBytes = 4L * 1024 * 1024;

    /// <summary>Up to this many patterns, the leftmost kinds check Teddy's candidates against the patterns instead of the automaton.</summary>
    internal const int MaxVerifiedPatterns = 128;

    private readonly string[] _patterns;
    private readonly int[] _patternLengths;
    private readonly int[] _matchOffsets;
    private readonly int[] _matchPatterns;
    private readonly bool[] _leaf;
    private readonly int[] _depth;
    private readonly Dfa? _dfa;
    private readonly NarrowDfa? _narrowDfa;
    private readonly Nfa? _nfa;
    private readonly Prefilter? _prefilter;
    private readonly TeddyVerifier? _verifier;
    private readonly int _start;
    private readonly int _maxMatchState;
    private readonly int _maxSpecialWithPrefilter;

    internal PatternSet(string[] patterns, bool ignoreCase, MatchKind kind, ScanEngine? forcedEngine, PrefilterKind? forcedPrefilter, bool? forcedVerification = null, bool? forcedNarrowDfa = null)
    {
        _patterns = patterns;
        IgnoreCase = ignoreCase;
        MatchKind = kind;
        _patternLengths = new int[patterns.Length];
        int maxLength = 0;
        int minLength = patterns.Length == 0 ? 0 : int.MaxValue;
        CharClassMap classes = CharClassMap.Build(patterns, ignoreCase);
        var trie = new TrieBuilder(kind, classes.ClassCount);
        var buffer = new ushort[patterns.Length == 0 ? 0 : patterns.Max(p => p.Length)];
        for (int id = 0; id < patterns.Length; id++)
        {
            string pattern = patterns[id];
            _patternLengths[id] = pattern.Length;
            maxLength = Math.Max(maxLength, pattern.Length);
            minLength = Math.Min(minLength, pattern.Length);
            for (int i = 0; i < pattern.Length; i++)
            {
                buffer[i] = classes.Map[pattern[i]];
            }

            trie.AddPattern(id, buffer.AsSpan(0, pattern.Length));
        }

        MaxPatternLength = maxLength;
        MinPatternLength = minLength;
        AutomatonData data = trie.Finish(_patternLengths);
        _matchOffsets = data.MatchOffsets;
        _matchPatterns = data.MatchPatterns;
        _depth = data.Depth;
        _leaf = new bool[data.MatchStateCount + 1];
        for (int state = 1; state <= data.MatchStateCount; state++)
        {
            _leaf[state] = kind != MatchKind.Overlapping && data.IsLeaf(state);
        }

        Engine = forcedEngine ?? (Dfa.TableBytes(data) <= MaxDfaBytes ? ScanEngine.Dfa : ScanEngine.Nfa);
        int unit;
        if (Engine == ScanEngine.Dfa && data.StateCount <= NarrowDfa.MaxStates && (forcedNarrowDfa ?? Dfa.TableBytes(data) > MinNarrowDfaBytes))
        {
            _narrowDfa = NarrowDfa.Build(data, classes, ignoreCase);
            unit = 1;
        }
        else if (Engine == ScanEngine.Dfa)
        {
            _dfa = Dfa.Build(data, classes);
            unit = _dfa.Stride;
        }
        else
        {
            _nfa = Nfa.Build(data, classes);
            unit = 1;
        }

        _start = data.StartState * unit;
        _maxMatchState = data.MatchStateCount * unit;
        _prefilter = PrefilterFactory.Create(patterns, classes, ignoreCase, kind, forcedPrefilter);
        _maxSpecialWithPrefilter = _prefilter is null ? _maxMatchState : _start;
        if (kind != MatchKind.Overlapping && _prefilter is TeddyPrefilter teddy && (forcedVerification ?? patterns.Length <= MaxVerifiedPatterns))
        {
            _verifier = new TeddyVerifier(patterns, classes, ignoreCase, kind, teddy.Kind);
        }

        MemoryUsage = (_dfa?.MemoryUsage ?? _narrowDfa?.MemoryUsage ?? _nfa!.MemoryUsage) + (_prefilter?.MemoryUsage ?? 0) + (_verifier?.MemoryUsage ?? 0)
            + ((long)(_matchOffsets.Length + _matchPatterns.Length + _depth.Length + _patternLengths.Length) * sizeof(int)) + _leaf.Length;
    }

    /// <summary>Gets the number of patterns in the set.</summary>
    public int Count => _patterns.Length;

    /// <summary>Gets the length of the longest pattern, in UTF-16 code units (0 for an empty set).</summary>
    public int MaxPatternLength { get; }

    /// <summary>Gets the length of the shortest pattern, in UTF-16 code units (0 for an empty set).</summary>
    public int MinPatternLength { get; }

    /// <summary>Gets a value indicating whether the set matches regardless of case.</summary>
    public bool IgnoreCase { get; }

    /// <summary>Gets which matches the set reports.</summary>
    public MatchKind MatchKind { get; }

    /// <summary>Gets the automaton chosen at build time.</summary>
    public ScanEngine Engine { get; }

    /// <summary>Gets the prefilter chosen at build time.</summary>
    public PrefilterKind Prefilter => _prefilter?.Kind ?? PrefilterKind.None;

    /// <summary>Gets the approximate number of bytes the compiled set occupies.</summary>
    public long MemoryUsage { get; }

    /// <summary>Gets the pattern with the given id.</summary>
    /// <param name="patternId">The id of the pattern, as reported by <see cref="PatternMatch.PatternId"/>.</param>
    /// <returns>The pattern as it was added.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="patternId"/> is not the id of a pattern in the set.</exception>
    public string GetPattern(int patternId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(patternId);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(patternId, _patterns.Length);
        return _patterns[patternId];
    }

    /// <summary>Finds the first match that <see cref="EnumerateMatches(ReadOnlySpan{char})"/> would report.</summary>
    /// <param name="text">The text to search.</param>
    /// <param name="match">The first match, or <see langword="default"/> when there is none.</param>
    /// <returns><see langword="true"/> if the text contains a match; otherwise <see langword="false"/>.</returns>
    public bool TryFindFirst(ReadOnlySpan<char> text, out PatternMatch match)
    {
        PatternMatchEnumerator enumerator = EnumerateMatches(text);
        if (enumerator.MoveNext())
        {
            match = enumerator.Current;
            return true;
        }

        match = default;
        return false;
    }

    /// <summary>Gets a value indicating whether the text contains a match of any pattern.</summary>
    /// <param name="text">The text to search.</param>
    /// <returns><see langword="true"/> if the text contains a match; otherwise <see langword="false"/>.</returns>
    public bool ContainsAny(ReadOnlySpan<char> text) => TryFindFirst(text, out _);

    /// <summary>Enumerates the matches in a text, according to <see cref="MatchKind"/>.</summary>
    /// <param name="text">The text to search.</param>
    /// <returns>An allocation-free enumerator for use with <see langword="foreach"/>.</returns>
    public PatternMatchEnumerator EnumerateMatches(ReadOnlySpan<char> text) => new(this, text);

    /// <summary>Enumerates the matches that a chunk of a stream completes.</summary>
    /// <param name="state">The state of the stream; <see langword="default"/> for a new stream. Updated as the enumerator advances.</param>
    /// <param name="chunk">The next chunk of the stream. Chunks may split surrogate pairs.</param>
    /// <param name="isFinalBlock"><see langword="true"/> for the last chunk: matches still pending are reported and the state is reset.</param>
    /// <returns>An allocation-free enumerator for use with <see langword="foreach"/>; enumerate it fully before the next chunk.</returns>
    /// <remarks>
    /// <see cref="PatternMatch.Index"/> is relative to the start of <paramref name="chunk"/> and is negative when the match began
    /// in an earlier chunk. A match is reported as soon as it is decided, so the matches of any chunking of a text, in order,
    /// equal the matches of <see cref="EnumerateMatches(ReadOnlySpan{char})"/> on the whole text.
    /// </remarks>
    /// <exception cref="InvalidOperationException"><paramref name="state"/> is in the middle of a stream of another set.</exception>
    public StreamingMatchEnumerator EnumerateMatches(ref StreamingScanState state, ReadOnlySpan<char> chunk, bool isFinalBlock)
    {
        if (!ReferenceEquals(state.Owner, this))
        {
            if (state.Owner is not null && (state.Position != 0 || state.State != 0))
            {
                throw new InvalidOperationException("The streaming state is in the middle of a stream of another PatternSet.");
            }

            state.Owner = this;
        }

        return new StreamingMatchEnumerator(this, ref state, chunk, isFinalBlock);
    }

    /// <summary>
    /// Returns how many of the characters consumed so far by a stream a match may still include: the characters that a
    /// streaming filter must hold back.
    /// </summary>
    internal int StartState => _start;

    /// <summary>Gets a value indicating whether the dense automaton was built with 16-bit transitions (<see cref="NarrowDfa"/>).</summary>
    internal bool UsesNarrowDfa => _narrowDfa is not null;

    internal int HoldbackLength(in StreamingScanState state)
    {
        if (state.State == 0)
        {
            return 0;
        }

        int ordinal = _dfa is { } dfa ? state.State / dfa.Stride : state.State;
        return _depth[ordinal];
    }
}
