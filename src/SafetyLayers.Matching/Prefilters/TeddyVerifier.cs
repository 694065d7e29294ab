using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SafetyLayers.Matching.Automaton;

namespace SafetyLayers.Matching.Prefilters;

/// <summary>
/// Finds leftmost matches of a small set without the automaton: a Teddy search on the rarest few characters of every
/// pattern, and each candidate compared with the patterns of the buckets whose fingerprint fits there (after the Rust
/// aho-corasick crate's packed searcher, which reports matches itself).
/// </summary>
/// <remarks>
/// <para>Why: a fingerprint on the first characters of a pattern that begins with a common word ("the system to") stops at
/// every "the"; one on its rarest window ("yst", by <see cref="CharacterFrequency"/>) stops far less often. And rejecting a
/// candidate by comparing it with the few patterns of its bucket costs a few loads, where entering the automaton costs a
/// call, dependent table loads and a mispredicted exit.</para>
/// <para>Correct: the fingerprint of pattern p starts at offset o(p) within it, and Teddy has no false negatives, so a match of
/// p starting at s makes s + o(p) a candidate whose buckets include p's. Candidates come in increasing order, but starts need
/// not (o differs between patterns): once a match starting at s is verified, the candidates up to s + max o are still checked
/// for a start before s, or at s with a pattern the match kind prefers (lowest id for leftmost-first; longest, then lowest id,
/// for leftmost-longest). Case-insensitive comparison goes through the automaton's character classes, so it folds exactly as
/// the automaton does.</para>
/// </remarks>
internal sealed class TeddyVerifier
{
    /// <summary>The furthest into a pattern its fingerprint may start: bounds the candidates checked after a match.</summary>
    internal const int MaxFingerprintOffset = 16;

    private readonly TeddyPrefilter _teddy;
    private readonly string[] _patterns;
    private readonly int[] _offsets;        // where each pattern's fingerprint starts within it
    private readonly int _maxOffset;
    private readonly int[] _bucketStarts;   // the patterns of bucket b are _bucketPatterns[_bucketStarts[b].._bucketStarts[b + 1]]
    private readonly int[] _bucketPatterns; // in order of preference within each bucket
    private readonly ulong[] _bucketKeys;   // per entry of _bucketPatterns: the classes of the pattern's fingerprinted characters
    private readonly int _fingerprint;
    private readonly ushort[]? _patternClasses; // case-insensitive: the class of every pattern character, pattern after pattern
    private readonly int[]? _patternStarts;     // where each pattern's classes start in _patternClasses
    private readonly ushort[] _classMap;
    private readonly bool _longest;

    public TeddyVerifier(string[] patterns, CharClassMap classes, bool ignoreCase, MatchKind kind, PrefilterKind width)
    {
        int fingerprint = TeddyPrefilter.FingerprintLengthFor(patterns);
        _fingerprint = fingerprint;
        _offsets = [.. patterns.Select(p => CharacterFrequency.RarestWindow(p, fingerprint, MaxFingerprintOffset, ignoreCase))];
        _maxOffset = _offsets.Max();
        TeddyPrefilter teddy = TeddyPrefilter.Create(patterns, classes, ignoreCase, width, _offsets);
        _teddy = teddy;
        _patterns = patterns;
        _longest = kind == MatchKind.LeftmostLongest;
        IEnumerable<int> preferred = _longest
            ? Enumerable.Range(0, patterns.Length).OrderByDescending(id => patterns[id].Length).ThenBy(id => id)
            : Enumerable.Range(0, patterns.Length);
        _bucketPatterns = [.. preferred.OrderBy(id => teddy.BucketOfPattern[id])]; // a stable sort keeps the preference
        _bucketStarts = new int[9];
        foreach (int id in _bucketPatterns)
        {
            _bucketStarts[teddy.BucketOfPattern[id] + 1]++;
        }

        for (int b = 0; b < 8; b++)
        {
            _bucketStarts[b + 1] += _bucketStarts[b];
        }

        _classMap = classes.Map;
        _bucketKeys = [.. _bucketPatterns.Select(id => Key(patterns[id].AsSpan(_offsets[id]), classes.Map, fingerprint))];
        if (ignoreCase)
        {
            _patternStarts = new int[patterns.Length];
            var all = new List<ushort>();
            for (int id = 0; id < patterns.Length; id++)
            {
                _patternStarts[id] = all.Count;
                all.AddRange(patterns[id].Select(c => classes.Map[c]));
            }

            _patternClasses = [.. all];
        }
    }

    /// <summary>Gets the number of bytes the verifier's tables take, beyond the patterns themselves.</summary>
    public long MemoryUsage => _teddy.MemoryUsage + ((long)(_bucketStarts.Length + _bucketPatterns.Length + _offsets.Length) * sizeof(int))
        + ((long)_bucketKeys.Length * sizeof(ulong)) + ((long)(_patternClasses?.Length ?? 0) * sizeof(ushort))
        + ((long)(_patternStarts?.Length ?? 0) * sizeof(int));

    /// <summary>Finds the leftmost match that starts at or after <paramref name="position"/>.</summary>
    /// <param name="text">The text being scanned.</param>
    /// <param name="position">Where to search from. When the method returns <see langword="false"/> and the prefilter was switched
    /// off, where the automaton must go on: no match starts before it.</param>
    /// <param name="stats">The scan's prefilter state; the verifier gives up when it switches the prefilter off.</param>
    /// <param name="match">The match, when the method returns <see langword="true"/>.</param>
    /// <returns><see langword="true"/> when a match was found; <see langword="false"/> when the text has none or the prefilter was
    /// switched off (<see cref="PrefilterStats.Off"/>).</returns>
    /// <remarks>
    /// Optimized from the first call (<see cref="MethodImplOptions.AggressiveOptimization"/>): a scan calls it once per match,
    /// and the tiered first version of its candidate loop made a process's first scans several times slower.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryFindLeftmost(ReadOnlySpan<char> text, ref int position, ref PrefilterStats stats, out PatternMatch match)
    {
        int from = position;
        int next = from; // the next fingerprint position to consider: a match starting at s >= from has its fingerprint at s + o >= from
        int bestStart = -1;
        int bestPattern = -1;
        while (true)
        {
            int candidate = stats.Next(_teddy, text, next);
            if (candidate < 0 || (bestPattern >= 0 && candidate - _maxOffset > bestStart))
            {
                break;
            }

            Verify(text, candidate, from, ref bestStart, ref bestPattern);
            next = candidate + 1;
            if (bestPattern < 0 && stats.Off)
            {
                position = Math.Max(from, next - _maxOffset); // every match starting before this has its fingerprint before next
                match = default;
                return false;
            }
        }

        if (bestPattern < 0)
        {
            position = text.Length;
            match = default;
            return false;
        }

        match = new PatternMatch(bestPattern, bestStart, _patterns[bestPattern].Length);
        return true;
    }

    /// <summary>Checks the patterns whose fingerprint fits at <paramref name="candidate"/>; keeps the best match so far.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Verify(ReadOnlySpan<char> text, int candidate, int from, ref int bestStart, ref int bestPattern)
    {
        int buckets = _teddy.BucketsAt(text, candidate);
        ulong key = Key(text.Slice(candidate), _classMap, _fingerprint);
        while (buckets != 0)
        {
            int bucket = BitOperations.TrailingZeroCount(buckets);
            buckets &= buckets - 1;
            for (int k = _bucketStarts[bucket]; k < _bucketStarts[bucket + 1]; k++)
            {
                if (_bucketKeys[k] != key)
                {
                    continue; // the nibbles fit, the characters do not
                }

                int id = _bucketPatterns[k];
                int start = candidate - _offsets[id];
                if (start < from || (bestPattern >= 0 && (start > bestStart || (start == bestStart && !IsPreferred(id, bestPattern)))))
                {
                    continue;
                }

                if (Matches(text, start, id))
                {
                    bestStart = start;
                    bestPattern = id;
                }
            }
        }
    }

    private bool IsPreferred(int id, int than)
    {
        if (_longest)
        {
            int length = _patterns[id].Length, other = _patterns[than].Length;
            return length > other || (length == other && id < than);
        }

        return id < than;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Matches(ReadOnlySpan<char> text, int start, int id)
    {
        ReadOnlySpan<char> rest = text.Slice(start);
        string pattern = _patterns[id];
        if (rest.Length < pattern.Length)
        {
            return false;
        }

        if (_patternClasses is null)
        {
            return rest.StartsWith(pattern, StringComparison.Ordinal);
        }

        ReadOnlySpan<ushort> classes = _patternClasses.AsSpan(_patternStarts![id], pattern.Length);
        ref ushort map = ref MemoryMarshal.GetArrayDataReference(_classMap);
        for (int k = 0; k < classes.Length; k++)
        {
            if (Unsafe.Add(ref map, rest[k]) != classes[k])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Packs the classes of the first <paramref name="length"/> (at most 4, 16 bits each) characters of <paramref name="text"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Key(ReadOnlySpan<char> text, ushort[] classMap, int length)
    {
        ulong key = 0;
        for (int k = 0; k < length; k++)
        {
            key |= (ulong)classMap[text[k]] << (16 * k);
        }

        return key;
    }
}
