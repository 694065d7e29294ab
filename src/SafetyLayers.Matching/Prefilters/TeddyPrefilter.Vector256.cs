using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SafetyLayers.Matching.Prefilters;

// 32 positions at a time; the same steps as the Vector128 form (see there for a worked example). The nibble tables are
// repeated in both 128-bit lanes because AVX2's byte shuffle works within lanes; without AVX2 the lookup runs on the two
// halves with the portable 128-bit shuffle, so this path is correct (if slower) on every machine.
internal sealed partial class TeddyPrefilter
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called once per candidate: its tiered first version made first scans slow
    private int FindVector256(ReadOnlySpan<char> text, int from, ref CandidateCache cache)
    {
        int limit = text.Length - _fingerprint + 1;
        const int Width = 32;
        if (limit - from < Width)
        {
            return limit - from >= 16 ? FindVector128(text, from, ref cache) : FindScalar(text, from, limit);
        }

        ref ushort t0 = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
        ref byte tables = ref MemoryMarshal.GetArrayDataReference(_tables);
        Vector256<byte> lo0 = Table(ref tables, 0), hi0 = Table(ref tables, 16);
        Vector256<byte> lo1 = default, hi1 = default, lo2 = default, hi2 = default, lo3 = default, hi3 = default;
        if (_fingerprint > 1)
        {
            lo1 = Table(ref tables, 32);
            hi1 = Table(ref tables, 48);
        }

        if (_fingerprint > 2)
        {
            lo2 = Table(ref tables, 64);
            hi2 = Table(ref tables, 80);
        }

        if (_fingerprint > 3)
        {
            lo3 = Table(ref tables, 96);
            hi3 = Table(ref tables, 112);
        }

        int j = from;
        while (true)
        {
            bool last = j > limit - Width;
            int block = last ? limit - Width : j;
            AssertInRange(text.Length, block + _fingerprint - 1 + Width);
            Vector256<byte> hits = Lookup(LoadBytes256(ref t0, block), lo0, hi0);
            if (_fingerprint > 1)
            {
                hits &= Lookup(LoadBytes256(ref t0, block + 1), lo1, hi1);
            }

            if (_fingerprint > 2)
            {
                hits &= Lookup(LoadBytes256(ref t0, block + 2), lo2, hi2);
            }

            if (_fingerprint > 3)
            {
                hits &= Lookup(LoadBytes256(ref t0, block + 3), lo3, hi3);
            }

            uint mask = ~Vector256.Equals(hits, Vector256<byte>.Zero).ExtractMostSignificantBits();
            if (last)
            {
                int skip = j - block;
                mask = skip >= 32 ? 0 : mask & (uint.MaxValue << skip);
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

    private static Vector256<byte> Table(ref byte tables, int offset)
    {
        Vector128<byte> half = Vector128.LoadUnsafe(ref tables, (nuint)offset);
        return Vector256.Create(half, half);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> LoadBytes256(ref ushort t0, int index) =>
        Vector256.Narrow(Vector256.LoadUnsafe(ref t0, (nuint)index), Vector256.LoadUnsafe(ref t0, (nuint)index + 16));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Lookup(Vector256<byte> bytes, Vector256<byte> lo, Vector256<byte> hi) =>
        LookupNibbles(bytes & Vector256.Create((byte)0xF), Vector256.ShiftRightLogical(bytes, 4), lo, hi);

    /// <summary>Looks the low and high nibbles up in tables that are repeated in each 128-bit lane, and ANDs the results.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> LookupNibbles(Vector256<byte> low, Vector256<byte> high, Vector256<byte> lo, Vector256<byte> hi)
    {
        if (Avx2.IsSupported)
        {
            return Avx2.Shuffle(lo, low) & Avx2.Shuffle(hi, high);
        }

        return Vector256.Create(
            Lookup(low.GetLower(), high.GetLower(), lo.GetLower(), hi.GetLower()),
            Lookup(low.GetUpper(), high.GetUpper(), lo.GetLower(), hi.GetLower()));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Lookup(Vector128<byte> low, Vector128<byte> high, Vector128<byte> lo, Vector128<byte> hi) =>
        Vector128.ShuffleNative(lo, low) & Vector128.ShuffleNative(hi, high);
}
