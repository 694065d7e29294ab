using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SafetyLayers.Matching.Automaton;

namespace SafetyLayers.Matching.Prefilters;

/// <summary>
/// Teddy: a packed fingerprint search on the first one to four characters of every pattern (after Hyperscan's and the
/// Rust aho-corasick crate's algorithm of that name, adapted to UTF-16 by fingerprinting the low byte of each character).
/// </summary>
/// <remarks>
/// <para>Worked example. Patterns "foo" (bucket 0) and "bar" (bucket 1), fingerprint length 3. For fingerprint position 0 the
/// low-nibble table has bit 0 at index 0x6 ('f' = 0x66) and bit 1 at index 0x2 ('b' = 0x62); the high-nibble table has bits 0
/// and 1 at index 0x6. At a text position j, looking the low and high nibble of <c>(byte)text[j]</c> up and AND-ing gives the
/// buckets whose pattern may have that first character; AND-ing the same for <c>text[j+1]</c> with the position-1 tables and
/// <c>text[j+2]</c> with the position-2 tables leaves a non-zero byte only where a bucket's three-character fingerprint fits.
/// The vector forms do this for 16, 32 or 64 positions at once with byte shuffles as table lookups.</para>
/// <para>No false negatives: every pattern's bucket bit is set for the low byte of every case variant of each of its first
/// characters, and nibble tables can only over-approximate. Non-ASCII characters share low bytes with others, which costs
/// false positives only. The automaton verifies every candidate.</para>
/// </remarks>
internal sealed partial class TeddyPrefilter : Prefilter
{
    private const int MaxFingerprint = 4;

    // Per fingerprint position: 16 bytes of low-nibble masks, then 16 bytes of high-nibble masks.
    private readonly byte[] _tables;
    private readonly int _fingerprint;
    private readonly PrefilterKind _kind;

    private TeddyPrefilter(byte[] tables, int fingerprint, PrefilterKind kind, byte[] bucketOfPattern)
    {
        _tables = tables;
        _fingerprint = fingerprint;
        _kind = kind;
        BucketOfPattern = bucketOfPattern;
    }

    /// <summary>Gets the bucket (0 to 7) of every pattern, by pattern id.</summary>
    public byte[] BucketOfPattern { get; }

    public override PrefilterKind Kind => _kind;

    public override long MemoryUsage => _tables.Length;

    /// <summary>Gets the number of characters fingerprinted per pattern (1 to 4).</summary>
    public int FingerprintLength => _fingerprint;

    /// <summary>Returns the number of characters fingerprinted per pattern for a set.</summary>
    public static int FingerprintLengthFor(string[] patterns) => Math.Min(MaxFingerprint, patterns.Min(p => p.Length));

    /// <summary>Builds the tables for the fingerprints of the patterns.</summary>
    /// <param name="patterns">The patterns.</param>
    /// <param name="classes">The automaton's character classes (for the case variants of characters).</param>
    /// <param name="ignoreCase">Whether case variants of the fingerprinted characters must fit too.</param>
    /// <param name="kind">The width to search with.</param>
    /// <param name="offsets">Where each pattern's fingerprint starts within it; <see langword="null"/>: at its first character,
    /// so that candidates are match starts (the <see cref="Prefilter"/> contract). Other offsets report where a fingerprint
    /// starts, for <see cref="TeddyVerifier"/>.</param>
    public static TeddyPrefilter Create(string[] patterns, CharClassMap classes, bool ignoreCase, PrefilterKind kind, int[]? offsets = null)
    {
        int fingerprint = FingerprintLengthFor(patterns);
        var tables = new byte[fingerprint * 32];
        string[] windows = [.. patterns.Select((p, id) => Fold(p.AsSpan(offsets?[id] ?? 0, fingerprint), ignoreCase))];

        // Patterns with the same fingerprint share a bucket; the distinct fingerprints, sorted, are cut into 8 runs so that
        // similar fingerprints (and so similar nibbles) share a bucket.
        string[] prefixes = [.. windows.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var bucketOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < prefixes.Length; i++)
        {
            bucketOf[prefixes[i]] = (int)((long)i * 8 / prefixes.Length);
        }

        foreach (string prefix in prefixes)
        {
            byte bit = (byte)(1 << bucketOf[prefix]);
            for (int k = 0; k < fingerprint; k++)
            {
                IEnumerable<char> variants = ignoreCase ? classes.Variants(prefix[k]) : [prefix[k]];
                foreach (char variant in variants)
                {
                    byte low = (byte)variant;
                    tables[(k * 32) + (low & 0xF)] |= bit;
                    tables[(k * 32) + 16 + (low >> 4)] |= bit;
                }
            }
        }

        byte[] bucketOfPattern = [.. windows.Select(w => (byte)bucketOf[w])];
        return new TeddyPrefilter(tables, fingerprint, kind, bucketOfPattern);
    }

    public override int Find(ReadOnlySpan<char> text, int from, ref CandidateCache cache)
    {
        // A block computed earlier in this scan may still hold candidates: a false positive costs a mask operation, not a block.
        if (cache.TryNext(from, out int cached, out int searchedUpTo))
        {
            return cached;
        }

        from = Math.Max(from, searchedUpTo);
        return _kind switch
        {
            PrefilterKind.TeddyVector512 => FindVector512(text, from, ref cache),
            PrefilterKind.TeddyVector256 => FindVector256(text, from, ref cache),
            PrefilterKind.TeddyVector128 => FindVector128(text, from, ref cache),
            _ => FindScalar(text, from, text.Length - _fingerprint + 1),
        };
    }

    /// <summary>Returns the buckets (bit b: bucket b) whose fingerprint fits at <paramref name="position"/>, a candidate.</summary>
    /// <remarks><paramref name="position"/> must leave room for the fingerprint, as every candidate does.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int BucketsAt(ReadOnlySpan<char> text, int position)
    {
        ref byte tables = ref MemoryMarshal.GetArrayDataReference(_tables);
        int buckets = 0xFF;
        for (int k = 0; k < _fingerprint; k++)
        {
            byte b = (byte)text[position + k];
            buckets &= Unsafe.Add(ref tables, (k * 32) + (b & 0xF)) & Unsafe.Add(ref tables, (k * 32) + 16 + (b >> 4));
        }

        return buckets;
    }

    /// <summary>The reference: the same tables, one position at a time. Searches start positions in [from, limit).</summary>
    internal int FindScalar(ReadOnlySpan<char> text, int from, int limit)
    {
        for (int j = from; j < limit; j++)
        {
            if (BucketsAt(text, j) != 0)
            {
                return j;
            }
        }

        return -1;
    }

    private static string Fold(ReadOnlySpan<char> s, bool ignoreCase)
    {
        Span<char> folded = stackalloc char[s.Length];
        for (int i = 0; i < s.Length; i++)
        {
            folded[i] = CharClassMap.Fold(s[i], ignoreCase);
        }

        return new string(folded);
    }
}
