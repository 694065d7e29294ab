using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SafetyLayers.Matching.Automaton;

/// <summary>
/// A dense deterministic automaton: one row of transitions per state, one column per character class, with state ids
/// premultiplied by the row length so that a step is a single load: <c>next = transitions[state + class[c]]</c>.
/// </summary>
internal sealed class Dfa
{
    private Dfa(int[] transitions, ushort[] classes, int stride)
    {
        Transitions = transitions;
        Classes = classes;
        Stride = stride;
    }

    public int[] Transitions { get; }

    public ushort[] Classes { get; }

    public int Stride { get; }

    public long MemoryUsage => ((long)Transitions.Length * sizeof(int)) + ((long)Classes.Length * sizeof(ushort));

    /// <summary>Returns the size in bytes of the transition table the automaton would need.</summary>
    public static long TableBytes(AutomatonData data) => (long)data.StateCount * data.ClassCount * sizeof(int);

    public static Dfa Build(AutomatonData data, CharClassMap classes)
    {
        int stride = data.ClassCount;
        var table = new int[checked(data.StateCount * stride)];
        int start = data.StartState;
        foreach (int state in data.BreadthFirstOrder)
        {
            int row = state * stride;
            int failRow = data.Fail[state] * stride;
            for (int cls = 0; cls < stride; cls++)
            {
                int child = data.Child(state, cls);
                int next;
                if (child >= 0)
                {
                    next = child * stride;
                }
                else if (state == start)
                {
                    next = start * stride;
                }
                else if (data.Fail[state] == TrieBuilder.DeadId)
                {
                    next = 0;
                }
                else
                {
                    next = table[failRow + cls]; // the failure state is shallower: its row is complete
                }

                table[row + cls] = next;
            }
        }

        return new Dfa(table, classes.Map, stride);
    }

    public Stepper CreateStepper() => new(Transitions, Classes, Stride);

    /// <summary>The scan-time view of the automaton.</summary>
    internal readonly struct Stepper(int[] transitions, ushort[] classes, int stride) : IAutomaton
    {
        private readonly int[] _transitions = transitions;
        private readonly ushort[] _classes = classes;
        private readonly int _stride = stride;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Next(int state, char c)
        {
            // Every class is < stride and every state is a premultiplied row start, so both loads are in range.
            int cls = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_classes), c);
            return Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_transitions), state + cls);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Ordinal(int state) => state / _stride;

        public int Walk(ReadOnlySpan<char> text, ref int position, int state, int maxSpecial)
        {
            ref ushort classes = ref MemoryMarshal.GetArrayDataReference(_classes);
            ref int transitions = ref MemoryMarshal.GetArrayDataReference(_transitions);
            ref char t0 = ref MemoryMarshal.GetReference(text);
            int i = position;
            int n = text.Length;
            while (i < n)
            {
                state = Unsafe.Add(ref transitions, state + Unsafe.Add(ref classes, Unsafe.Add(ref t0, i)));
                i++;
                if (state <= maxSpecial)
                {
                    break;
                }
            }

            position = i;
            return state;
        }

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
        public int SkipWithoutMatch(ReadOnlySpan<char> text, int start, int maxSpecial, int overlap)
        {
            int n = text.Length;
            int seg = (n + (3 * overlap) + 3) / 4;
            if (seg < overlap + 16)
            {
                return 0;
            }

            ref ushort classes = ref MemoryMarshal.GetArrayDataReference(_classes);
            ref int transitions = ref MemoryMarshal.GetArrayDataReference(_transitions);
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
                a = Unsafe.Add(ref transitions, a + Unsafe.Add(ref classes, Unsafe.Add(ref t0, j)));
                b = Unsafe.Add(ref transitions, b + Unsafe.Add(ref classes, Unsafe.Add(ref t1, j)));
                c = Unsafe.Add(ref transitions, c + Unsafe.Add(ref classes, Unsafe.Add(ref t2, j)));
                d = Unsafe.Add(ref transitions, d + Unsafe.Add(ref classes, Unsafe.Add(ref t3, j)));
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
                    state = Unsafe.Add(ref transitions, state + Unsafe.Add(ref classes, Unsafe.Add(ref t0, p)));
                    if (state <= maxSpecial)
                    {
                        return Math.Max(0, p - overlap);
                    }
                }
            }

            return hitPart < 4 ? hitAt - overlap : n;
        }
    }
}
