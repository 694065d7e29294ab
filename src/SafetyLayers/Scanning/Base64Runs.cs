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
    /// Vectorized: 16 characters at a time become a mask of alphabet characters. A run longer than 16 cannot lie inside one
    /// block, so each block only extends the run it starts with (its low bits) and hands on the run it ends with (its high
    /// bits). On prose, where words are short, that is a few vector operations per 16 characters. The scalar loop is the
    /// reference; the tests compare both at every offset.
    /// </remarks>
    public static int IndexOfRun(ReadOnlySpan<char> text, int minLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(minLength, Vector256<ushort>.Count);
        int run = 0;   // the length of the run of alphabet characters that ends right before i
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<ushort> caseBit = Vector256.Create((ushort)0x20);
            Vector256<ushort> a = Vector256.Create((ushort)'a');
            Vector256<ushort> letters = Vector256.Create((ushort)('z' - 'a'));
            Vector256<ushort> zero = Vector256.Create((ushort)'0');
            Vector256<ushort> digits = Vector256.Create((ushort)9);
            ref ushort first = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
            for (; i + Vector256<ushort>.Count <= text.Length; i += Vector256<ushort>.Count)
            {
                Vector256<ushort> v = Vector256.LoadUnsafe(ref first, (nuint)i);
                Vector256<ushort> alphabet = Vector256.LessThanOrEqual((v | caseBit) - a, letters) | Vector256.LessThanOrEqual(v - zero, digits)
                    | Vector256.Equals(v, Vector256.Create((ushort)'+')) | Vector256.Equals(v, Vector256.Create((ushort)'/'))
                    | Vector256.Equals(v, Vector256.Create((ushort)'=')) | Vector256.Equals(v, Vector256.Create((ushort)'-'))
                    | Vector256.Equals(v, Vector256.Create((ushort)'_'));
                uint mask = alphabet.ExtractMostSignificantBits();
                if (mask == 0xFFFF)
                {
                    run += Vector256<ushort>.Count;
                    if (run >= minLength)
                    {
                        return i + Vector256<ushort>.Count - run;
                    }

                    continue;
                }

                int leading = BitOperations.TrailingZeroCount(~mask);   // alphabet characters at the start of the block
                if (run + leading >= minLength)
                {
                    return i - run;
                }

                run = BitOperations.LeadingZeroCount(~mask << 16);      // alphabet characters at the end of the block
            }
        }

        for (; i < text.Length; i++)
        {
            if (!IsAlphabetChar(text[i]))
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
}
