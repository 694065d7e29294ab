using System.Buffers;

namespace SafetyLayers.Scanning;

/// <summary>
/// The three buffers of a <see cref="NormalizedText"/>: one set cached per thread, in front of <see cref="ArrayPool{T}.Shared"/>.
/// </summary>
/// <remarks>
/// The shared pool trims its caches on every gen-2 GC, so under memory pressure from other work a scan would allocate
/// again; one cached set per thread is never trimmed. Renting reads the thread-static field once and marks the set in use;
/// returning the set only clears that mark (no thread-static access, which costs a runtime call per access here: it was a
/// fifth of normalizing a 200-character message). A nested normalization (an encoded payload rescanned while the outer
/// text is still in use) finds the set in use and falls back to the pool. Buffers above 64K characters are not cached.
/// </remarks>
internal sealed class NormalizationBuffers
{
    private const int MaxCachedLength = 64 * 1024;

    [ThreadStatic]
    private static NormalizationBuffers? t_cached;

    private char[] _chars = [];
    private int[] _starts = [];
    private int[] _ends = [];
    private bool _inUse;

    /// <summary>Rents buffers of at least <paramref name="capacity"/> elements.</summary>
    /// <param name="capacity">The length needed.</param>
    /// <param name="chars">The character buffer.</param>
    /// <param name="starts">The buffer of start offsets.</param>
    /// <param name="ends">The buffer of end offsets.</param>
    /// <returns>The thread's cached set the buffers belong to, to pass to <see cref="Return"/>; <see langword="null"/> when they come from the pool.</returns>
    public static NormalizationBuffers? Rent(int capacity, out char[] chars, out int[] starts, out int[] ends)
    {
        NormalizationBuffers cached = t_cached ??= new NormalizationBuffers();
        if (!cached._inUse && cached._chars.Length >= capacity)
        {
            cached._inUse = true;
            chars = cached._chars;
            starts = cached._starts;
            ends = cached._ends;
            return cached;
        }

        chars = ArrayPool<char>.Shared.Rent(capacity);
        starts = ArrayPool<int>.Shared.Rent(capacity);
        ends = ArrayPool<int>.Shared.Rent(capacity);
        if (!cached._inUse && capacity <= MaxCachedLength)
        {
            // The cached set is too small: these buffers become it.
            if (cached._chars.Length > 0)
            {
                ReturnToPool(cached._chars, cached._starts, cached._ends);
            }

            cached._inUse = true;
            return cached.Replace(chars, starts, ends);
        }

        return null;
    }

    /// <summary>Returns buffers rented with <see cref="Rent"/>, possibly grown since (the grown-out ones went back to the pool).</summary>
    /// <param name="owner">What <see cref="Rent"/> returned.</param>
    /// <param name="chars">The character buffer.</param>
    /// <param name="starts">The buffer of start offsets.</param>
    /// <param name="ends">The buffer of end offsets.</param>
    public static void Return(NormalizationBuffers? owner, char[] chars, int[] starts, int[] ends)
    {
        if (owner is not null)
        {
            if (!ReferenceEquals(chars, owner._chars))
            {
                if (chars.Length > MaxCachedLength)
                {
                    owner.Replace([], [], []);
                    ReturnToPool(chars, starts, ends);
                }
                else
                {
                    owner.Replace(chars, starts, ends);
                }
            }

            owner._inUse = false;
            return;
        }

        ReturnToPool(chars, starts, ends);
    }

    private static void ReturnToPool(char[] chars, int[] starts, int[] ends)
    {
        ArrayPool<char>.Shared.Return(chars);
        ArrayPool<int>.Shared.Return(starts);
        ArrayPool<int>.Shared.Return(ends);
    }

    /// <summary>Makes the given buffers the cached set's (the old ones are in the pool already, or empty).</summary>
    private NormalizationBuffers Replace(char[] chars, int[] starts, int[] ends)
    {
        _chars = chars;
        _starts = starts;
        _ends = ends;
        return this;
    }
}
