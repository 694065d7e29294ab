using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SafetyLayers.Matching.Automaton;

namespace SafetyLayers.Matching.Prefilters;

/// <summary>
/// A shift-or search over hashed character pairs in eight buckets (after Hyperscan's FDR), for sets too large for Teddy's
/// nibble fingerprints: it checks the first <c>m</c> (at most 8) characters of every pattern at every position, at the cost
/// of one table load, one shift and one OR per character.
/// </summary>
/// <remarks>
/// <para>Worked example, m = 4, one pattern "tool" in bucket 0. The key of a position is a hash of the low bytes of the
/// character before it and of the character itself. The table entry of a key is a 64-bit word whose byte t has bit b clear
/// when some pattern of bucket b can have that key at its position t: byte 0 is clear for every key that ends in 't' (the
/// character before a pattern is unknown), byte 1 for the key of "to", byte 2 for "oo", byte 3 for "ol". The state is
/// shifted left by one byte per character and OR-ed with the entry; after reading "tool", byte 3 of the state has bit 0 clear
/// exactly when the four positions agreed, and the candidate is the position three characters back.</para>
/// <para>No false negatives: every key a pattern (with every case variant of its characters) produces at position t clears
/// its bucket's bit in byte t; hashing and bucketing only add false positives, which the automaton rejects.</para>
/// </remarks>
internal sealed class ShiftOrPrefilter : Prefilter
{
    private const int KeyBits = 12;
    private const int KeyMask = (1 << KeyBits) - 1;

    private readonly ulong[] _table;
    private readonly int _length;
    private readonly ulong _checkMask;

    private ShiftOrPrefilter(ulong[] table, int length)
    {
        _table = table;
        _length = length;
        _checkMask = 0xFFUL << (8 * (length - 1));
    }

    public override PrefilterKind Kind => PrefilterKind.ShiftOr;

    public override long MemoryUsage => _table.Length * sizeof(ulong);

    public static ShiftOrPrefilter Create(string[] patterns, CharClassMap classes, bool ignoreCase)
    {
        int length = Math.Min(8, patterns.Min(p => p.Length));
        var table = new ulong[1 << KeyBits];
        Array.Fill(table, ulong.MaxValue);

        // Patterns with the same prefix share a bucket; distinct prefixes, sorted, are cut into 8 runs.
        string[] prefixes = [.. patterns.Select(p => p[..length]).Select(p => ignoreCase ? p.ToUpperInvariant() : p).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        for (int i = 0; i < prefixes.Length; i++)
        {
            int bucket = (int)((long)i * 8 / prefixes.Length);
            string prefix = prefixes[i];
            for (int t = 0; t < length; t++)
            {
                ulong clear = ~(1UL << ((8 * t) + bucket));
                foreach (char current in VariantsOf(prefix[t], classes, ignoreCase))
                {
                    if (t == 0)
                    {
                        for (int previous = 0; previous < 256; previous++)
                        {
                            table[Key((byte)previous, (byte)current)] &= clear;
                        }

                        continue;
                    }

                    foreach (char previous in VariantsOf(prefix[t - 1], classes, ignoreCase))
                    {
                        table[Key((byte)previous, (byte)current)] &= clear;
                    }
                }
            }
        }

        return new ShiftOrPrefilter(table, length);
    }

    public override int Find(ReadOnlySpan<char> text, int from, ref CandidateCache cache)
    {
        int n = text.Length;
        int first = from + _length - 1; // the first position whose candidate start is at or after `from`
        if (first >= n)
        {
            return -1;
        }

        ref char t0 = ref MemoryMarshal.GetReference(text);
        ref ulong table = ref MemoryMarshal.GetArrayDataReference(_table);
        ulong check = _checkMask;
        ulong state = ulong.MaxValue;
        byte previous = from > 0 ? (byte)Unsafe.Add(ref t0, from - 1) : (byte)0;
        for (int i = from; i < n; i++)
        {
            byte current = (byte)Unsafe.Add(ref t0, i);
            state = (state << 8) | Unsafe.Add(ref table, Key(previous, current));
            previous = current;
            if ((state & check) != check && i >= first)
            {
                return i - _length + 1;
            }
        }

        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Key(byte previous, byte current) => ((previous << 5) ^ current ^ (previous >> 3)) & KeyMask;

    private static IEnumerable<char> VariantsOf(char folded, CharClassMap classes, bool ignoreCase) =>
        ignoreCase ? classes.Variants(folded) : [folded];
}
