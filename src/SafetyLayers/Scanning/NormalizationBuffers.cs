using System.Buffers;

namespace SafetyLayers.Scanning;

/// <summary>
/// Per-thread cache of the three buffers of a <see cref="NormalizedText"/>, in front of <see cref="ArrayPool{T}.Shared"/>.
/// </summary>
/// <remarks>
/// The shared pool trims its caches on every gen-2 GC, so under memory pressure from other work a scan would allocate
/// again; one cached set per thread is never trimmed. A nested normalization (an encoded payload rescanned while the outer
/// text is still in use) finds the slot empty and falls back to the pool. Buffers above 64K characters are not cached.
/// </remarks>
internal static class NormalizationBuffers
{
    private const int MaxCachedLength = 64 * 1024;

    [ThreadStatic]
    private static char[]? t_chars;

    [ThreadStatic]
    private static int[]? t_starts;

    [ThreadStatic]
    private static int[]? t_ends;

    public static void Rent(int capacity, out char[] chars, out int[] starts, out int[] ends)
    {
        if (t_chars is { } cachedChars && cachedChars.Length >= capacity)
        {
            chars = cachedChars;
            starts = t_starts!;
            ends = t_ends!;
            t_chars = null;
            t_starts = null;
            t_ends = null;
            return;
        }

        chars = ArrayPool<char>.Shared.Rent(capacity);
        starts = ArrayPool<int>.Shared.Rent(capacity);
        ends = ArrayPool<int>.Shared.Rent(capacity);
    }

    public static void Return(char[] chars, int[] starts, int[] ends)
    {
        if (t_chars is null && chars.Length <= MaxCachedLength && starts.Length == chars.Length && ends.Length == chars.Length)
        {
            t_chars = chars;
            t_starts = starts;
            t_ends = ends;
            return;
        }

        ArrayPool<char>.Shared.Return(chars);
        ArrayPool<int>.Shared.Return(starts);
        ArrayPool<int>.Shared.Return(ends);
    }
}
