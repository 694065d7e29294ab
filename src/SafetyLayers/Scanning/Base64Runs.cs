using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace SafetyLayers.Scanning;

/// <summary>Finds runs of base64 (and base64url, hex) alphabet characters, where encoded payloads can hide.</summary>
internal static class Base64Runs
{
    private static readonly bool[] s_alphabet = CreateAlphabet();

    /// <summary>Returns whether <paramref name="c"/> is a letter or digit of ASCII, or one of <c>+/=-_</c>.</summary>
    public static bool IsAlphabetChar(char c) => c < 128 && s_alphabet[c];

    /// <summary>Returns the start of the first run of at least <paramref name="minLength"/> alphabet characters, or -1.</summary>
    /// <param name="text">The text to search.</param>
    /// <param name="minLength">The shortest run to find; more than 16.</param>
    /// <remarks>
    /// A run of alphabet characters holds no space, so the search first looks for a stretch of <paramref name="minLength"/>
    /// characters without a space, with one comparison per 16 characters (prose has none: words are short), and looks
    /// for alphabet characters, seven comparisons per 16, only from the first such stretch on. Both searches are
    /// vectorized (<see cref="FirstRun{TClass}"/>). The scalar loop is the reference; the tests compare both at every offset.
    /// </remarks>
    public static int IndexOfRun(ReadOnlySpan<char> text, int minLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(minLength, Vector256<ushort>.Count);
        int stretch = FirstRun<NotSpace>(text, 0, minLength);
        return stretch < 0 ? -1 : FirstRun<Alphabet>(text, stretch, minLength);
    }

    /// <summary>
    /// Returns the start of the first run of at least <paramref name="minLength"/> characters of a class at or after
    /// <paramref name="start"/> (where a run begins: the character before is not of the class, or there is none), or -1.
    /// </summary>
    /// <remarks>
    /// Vectorized: 16 characters at a time become a mask of the class. A run longer than 16 cannot lie inside one
    /// block, so each block only extends the run it starts with (its low bits) and hands on the run it ends with (its high
    /// bits). On prose, where words are short, that is a few vector operations per 16 characters.
    /// </remarks>
    private static int FirstRun<TClass>(ReadOnlySpan<char> text, int start, int minLength)
        where TClass : IRunClass
    {
        int run = 0;   // the length of the run of the class that ends right before i
        int i = start;
        if (Vector256.IsHardwareAccelerated)
        {
            ref ushort first = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
            for (; i + Vector256<ushort>.Count <= text.Length; i += Vector256<ushort>.Count)
            {
                uint mask = TClass.Mask(Vector256.LoadUnsafe(ref first, (nuint)i)).ExtractMostSignificantBits();
                if (mask == 0xFFFF)
                {
                    run += Vector256<ushort>.Count;
                    if (run >= minLength)
                    {
                        return i + Vector256<ushort>.Count - run;
                    }

                    continue;
                }

                int leading = BitOperations.TrailingZeroCount(~mask);   // characters of the class at the start of the block
                if (run + leading >= minLength)
                {
                    return i - run;
                }

                run = BitOperations.LeadingZeroCount(~mask << 16);      // characters of the class at the end of the block
            }
        }

        for (; i < text.Length; i++)
        {
            if (!TClass.Contains(text[i]))
            {
                run = 0;
            }
            else if (++run >= minLength)
            {
                return i + 1 - run;
            }
        }

        return -1;
    }

    /// <summary>The reference loop of <see cref="IndexOfRun"/>.</summary>
    public static int IndexOfRunScalar(ReadOnlySpan<char> text, int minLength)
    {
        int run = 0;
        for (int i = 0; i < text.Length; i++)
        {
            run = IsAlphabetChar(text[i]) ? run + 1 : 0;
            if (run >= minLength)
            {
                return i + 1 - run;
            }
        }

        return -1;
    }

    private static bool[] CreateAlphabet()
    {
        bool[] table = new bool[128];
        foreach (char c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_")
        {
            table[c] = true;
        }

        return table;
    }

    /// <summary>A class of characters whose runs <see cref="FirstRun{TClass}"/> finds.</summary>
    private interface IRunClass
    {
        /// <summary>Returns, for 16 characters, all ones where a character is of the class.</summary>
        static abstract Vector256<ushort> Mask(Vector256<ushort> v);

        /// <summary>Returns whether <paramref name="c"/> is of the class.</summary>
        static abstract bool Contains(char c);
    }

    /// <summary>The base64, base64url and hex alphabet (<see cref="IsAlphabetChar"/>).</summary>
    private readonly struct Alphabet : IRunClass
    {
        public static Vector256<ushort> Mask(Vector256<ushort> v) =>
            Vector256.LessThanOrEqual((v | Vector256.Create((ushort)0x20)) - Vector256.Create((ushort)'a'), Vector256.Create((ushort)('z' - 'a')))
            | Vector256.LessThanOrEqual(v - Vector256.Create((ushort)'0'), Vector256.Create((ushort)9))
            | Vector256.Equals(v, Vector256.Create((ushort)'+')) | Vector256.Equals(v, Vector256.Create((ushort)'/'))
            | Vector256.Equals(v, Vector256.Create((ushort)'=')) | Vector256.Equals(v, Vector256.Create((ushort)'-'))
            | Vector256.Equals(v, Vector256.Create((ushort)'_'));

        public static bool Contains(char c) => IsAlphabetChar(c);
    }

    /// <summary>Every character but the space: a superset of the alphabet whose runs are cheaper to find.</summary>
    private readonly struct NotSpace : IRunClass
    {
        public static Vector256<ushort> Mask(Vector256<ushort> v) => ~Vector256.Equals(v, Vector256.Create((ushort)' '));

        public static bool Contains(char c) => c != ' ';
    }
}
