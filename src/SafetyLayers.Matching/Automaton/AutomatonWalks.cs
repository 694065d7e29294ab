using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SafetyLayers.Matching.Automaton;

/// <summary>The four-stream walk of the dense automata (<see cref="Dfa"/>, <see cref="NarrowDfa"/>), written once over their steps.</summary>
/// <remarks>
/// Generic over the automaton struct, so the JIT emits one copy per automaton with its step inlined and its few fields in
/// registers.
/// </remarks>
internal static class AutomatonWalks
{
    /// <summary>
    /// Walks four parts of <paramref name="text"/> at once from the start state and returns where a one-stream scan must
    /// begin: <paramref name="text"/>'s length when no part reaches a state at or below <paramref name="maxSpecial"/> (no
    /// match anywhere), else a position before which no match ends and at or before which every later match starts.
    /// </summary>
    /// <remarks>
    /// <para>
    /// One stream is bound by the latency of its dependent loads (the next state needs the previous one); four independent
    /// streams keep the load ports busy. Worked example with <paramref name="overlap"/> w = 2 (patterns of up to 3
    /// characters) and 20 characters: each part is 7 characters long, and parts start 5 apart (0, 5, 10, 15), so part
    /// k > 0 re-reads the w characters before the ends it answers for: part 1 reads 5..11 and covers matches ending at 8..12,
    /// since such a match starts at 6 or later. Together the parts cover every end. On the first special state in any
    /// part, part 0 has read <c>j</c> characters without one, so no match ends at or before <c>j</c>, and every match
    /// ending later starts at <c>j - w</c> or later: the caller scans from there with one stream.
    /// </para>
    /// <para>Returns 0 (scan everything with one stream) when the text is too short for the parts to be longer than the overlap.</para>
    /// </remarks>
    public static int SkipWithoutMatch<TAutomaton>(TAutomaton automaton, ReadOnlySpan<char> text, int start, int maxSpecial, int overlap)
        where TAutomaton : struct, IAutomaton
    {
        int n = text.Length;
        int seg = (n + (3 * overlap) + 3) / 4;
        if (seg < overlap + 16)
        {
            return 0;
        }

        ref char t0 = ref MemoryMarshal.GetReference(text);
        int step = seg - overlap;
        ref char t1 = ref Unsafe.Add(ref t0, step);
        ref char t2 = ref Unsafe.Add(ref t0, 2 * step);
        ref char t3 = ref Unsafe.Add(ref t0, 3 * step);
        int together = Math.Min(seg, n - (3 * step));   // part 3 ends with the text, possibly a few characters before the others
        int a = start, b = start, c = start, d = start;
        int hitPart = 4;     // the first part with a special state, if any
        int hitAt = n;       // where that part reached it
        int done = together; // how far parts 0 to 2 have read
        for (int j = 0; j < together; j++)
        {
            a = automaton.Next(a, Unsafe.Add(ref t0, j));
            b = automaton.Next(b, Unsafe.Add(ref t1, j));
            c = automaton.Next(c, Unsafe.Add(ref t2, j));
            d = automaton.Next(d, Unsafe.Add(ref t3, j));
            if ((a <= maxSpecial) | (b <= maxSpecial) | (c <= maxSpecial) | (d <= maxSpecial))
            {
                if (a <= maxSpecial)
                {
                    return Math.Max(0, j - overlap);
                }

                hitPart = b <= maxSpecial ? 1 : c <= maxSpecial ? 2 : 3;
                hitAt = (hitPart * step) + j;
                done = j + 1;
                break;
            }
        }

        // Finish the parts before the first hit, in order: a special state in part k means the parts before it are clean.
        Span<int> states = [a, b, c];
        for (int k = 0; k < Math.Min(hitPart, 3); k++)
        {
            int state = states[k];
            for (int p = (k * step) + done; p < (k * step) + seg; p++)
            {
                state = automaton.Next(state, Unsafe.Add(ref t0, p));
                if (state <= maxSpecial)
                {
                    return Math.Max(0, p - overlap);
                }
            }
        }

        return hitPart < 4 ? hitAt - overlap : n;
    }
}
