using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SafetyLayers.Matching.Prefilters;

// 16 positions at a time. For a block starting at j, fingerprint position k reads the low bytes of text[j+k .. j+k+15]
// (two 8-char loads narrowed to one byte vector), looks both nibbles up with a byte shuffle, and the AND over k leaves a
// non-zero byte at each candidate. Example with "foo" in bucket 0 and text "xxfoo...": byte 2 survives all three ANDs, the
// mask of non-zero bytes is 0b100, and the candidate is j + 2. The tail re-reads one overlapping last block, masking off
// the positions already searched, instead of running a scalar loop.
internal sealed partial class TeddyPrefilter
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called once per candidate: its tiered first version made first scans slow
    private int FindVector128(ReadOnlySpan<char> text, int from, ref CandidateCache cache)
    {
        int limit = text.Length - _fingerprint + 1; // start positions are < limit
        const int Width = 16;
        if (limit - from < Width)
        {
            return FindScalar(text, from, limit);
        }

        ref ushort t0 = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
        ref byte tables = ref MemoryMarshal.GetArrayDataReference(_tables);
        Vector128<byte> lo0 = Vector128.LoadUnsafe(ref tables, 0), hi0 = Vector128.LoadUnsafe(ref tables, 16);
        Vector128<byte> lo1 = default, hi1 = default, lo2 = default, hi2 = default, lo3 = default, hi3 = default;
        if (_fingerprint > 1)
        {
            lo1 = Vector128.LoadUnsafe(ref tables, 32);
            hi1 = Vector128.LoadUnsafe(ref tables, 48);
        }

        if (_fingerprint > 2)
        {
            lo2 = Vector128.LoadUnsafe(ref tables, 64);
            hi2 = Vector128.LoadUnsafe(ref tables, 80);
        }

        if (_fingerprint > 3)
        {
            lo3 = Vector128.LoadUnsafe(ref tables, 96);
            hi3 = Vector128.LoadUnsafe(ref tables, 112);
        }

        int j = from;
        while (true)
        {
            bool last = j > limit - Width;
            int block = last ? limit - Width : j;
            AssertInRange(text.Length, block + _fingerprint - 1 + Width);
            Vector128<byte> hits = Lookup(LoadBytes(ref t0, block), lo0, hi0);
            if (_fingerprint > 1)
            {
                hits &= Lookup(LoadBytes(ref t0, block + 1), lo1, hi1);
            }

            if (_fingerprint > 2)
            {
                hits &= Lookup(LoadBytes(ref t0, block + 2), lo2, hi2);
            }

            if (_fingerprint > 3)
            {
                hits &= Lookup(LoadBytes(ref t0, block + 3), lo3, hi3);
            }

            uint mask = ~Vector128.Equals(hits, Vector128<byte>.Zero).ExtractMostSignificantBits() & 0xFFFF;
            if (last)
            {
                mask &= 0xFFFFu << (j - block); // positions before j were searched already
                return cache.Take(j, block, mask);
            }

            if (mask != 0)
            {
                return cache.Take(j, block, mask);
            }

            j += Width;
            if (j >= limit)
            {
                return -1;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> LoadBytes(ref ushort t0, int index) =>
        Vector128.Narrow(Vector128.LoadUnsafe(ref t0, (nuint)index), Vector128.LoadUnsafe(ref t0, (nuint)index + 8));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Lookup(Vector128<byte> bytes, Vector128<byte> lo, Vector128<byte> hi) =>
        Vector128.ShuffleNative(lo, bytes & Vector128.Create((byte)0xF)) & Vector128.ShuffleNative(hi, Vector128.ShiftRightLogical(bytes, 4));

    [Conditional("DEBUG")]
    private static void AssertInRange(int length, int end) => Debug.Assert(end <= length, $"read up to {end} of {length}");
}
