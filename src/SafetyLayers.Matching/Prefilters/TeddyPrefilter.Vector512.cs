using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace SafetyLayers.Matching.Prefilters;

// 64 positions at a time; the same steps as the Vector128 form (see there for a worked example). AVX-512BW shuffles bytes
// within 128-bit lanes, so the tables are repeated in all four lanes; elsewhere the lookup runs on the four 128-bit
// quarters, so this path is correct (if slower) on every machine and is tested everywhere.
internal sealed partial class TeddyPrefilter
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called once per candidate: its tiered first version made first scans slow
    private int FindVector512(ReadOnlySpan<char> text, int from, ref CandidateCache cache)
    {
        int limit = text.Length - _fingerprint + 1;
        const int Width = 64;
        if (limit - from < Width)
        {
            return limit - from >= 32 ? FindVector256(text, from, ref cache) : limit - from >= 16 ? FindVector128(text, from, ref cache) : FindScalar(text, from, limit);
        }

        ref ushort t0 = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
        ref byte tables = ref MemoryMarshal.GetArrayDataReference(_tables);
        Vector512<byte> lo0 = Table512(ref tables, 0), hi0 = Table512(ref tables, 16);
        Vector512<byte> lo1 = default, hi1 = default, lo2 = default, hi2 = default, lo3 = default, hi3 = default;
        if (_fingerprint > 1)
        {
            lo1 = Table512(ref tables, 32);
            hi1 = Table512(ref tables, 48);
        }

        if (_fingerprint > 2)
        {
            lo2 = Table512(ref tables, 64);
            hi2 = Table512(ref tables, 80);
        }

        if (_fingerprint > 3)
        {
            lo3 = Table512(ref tables, 96);
            hi3 = Table512(ref tables, 112);
        }

        int j = from;
        while (true)
        {
            bool last = j > limit - Width;
            int block = last ? limit - Width : j;
            AssertInRange(text.Length, block + _fingerprint - 1 + Width);
            Vector512<byte> hits = Lookup(LoadBytes512(ref t0, block), lo0, hi0);
            if (_fingerprint > 1)
            {
                hits &= Lookup(LoadBytes512(ref t0, block + 1), lo1, hi1);
            }

            if (_fingerprint > 2)
            {
                hits &= Lookup(LoadBytes512(ref t0, block + 2), lo2, hi2);
            }

            if (_fingerprint > 3)
            {
                hits &= Lookup(LoadBytes512(ref t0, block + 3), lo3, hi3);
            }

            ulong mask = ~Vector512.Equals(hits, Vector512<byte>.Zero).ExtractMostSignificantBits();
            if (last)
            {
                int skip = j - block;
                mask = skip >= 64 ? 0 : mask & (ulong.MaxValue << skip);
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

    private static Vector512<byte> Table512(ref byte tables, int offset)
    {
        Vector128<byte> quarter = Vector128.LoadUnsafe(ref tables, (nuint)offset);
        Vector256<byte> half = Vector256.Create(quarter, quarter);
        return Vector512.Create(half, half);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<byte> LoadBytes512(ref ushort t0, int index) =>
        Vector512.Narrow(Vector512.LoadUnsafe(ref t0, (nuint)index), Vector512.LoadUnsafe(ref t0, (nuint)index + 32));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<byte> Lookup(Vector512<byte> bytes, Vector512<byte> lo, Vector512<byte> hi)
    {
        Vector512<byte> low = bytes & Vector512.Create((byte)0xF);
        Vector512<byte> high = Vector512.ShiftRightLogical(bytes, 4);
        if (Avx512BW.IsSupported)
        {
            return Avx512BW.Shuffle(lo, low) & Avx512BW.Shuffle(hi, high);
        }

        Vector256<byte> lo256 = lo.GetLower(), hi256 = hi.GetLower();
        return Vector512.Create(
            LookupNibbles(low.GetLower(), high.GetLower(), lo256, hi256),
            LookupNibbles(low.GetUpper(), high.GetUpper(), lo256, hi256));
    }
}
