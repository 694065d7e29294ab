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

        // ceil(2^32 / stride): a state is q * stride with q * stride < 2^31, so the rounding error times q stays under 2^32
        // and the product's upper half is exactly q. A multiply instead of a division on every match and join.
        Reciprocal = (((1UL << 32) - 1) / (uint)stride) + 1;
    }

    public int[] Transitions { get; }

    public ushort[] Classes { get; }

    public int Stride { get; }

    /// <summary>Gets the multiplier that turns a premultiplied state into its number (see <see cref="Stepper.Ordinal"/>).</summary>
    public ulong Reciprocal { get; }

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

    public Stepper CreateStepper() => new(Transitions, Classes, Reciprocal);

    /// <summary>The scan-time view of the automaton.</summary>
    internal readonly struct Stepper(int[] transitions, ushort[] classes, ulong reciprocal) : IDenseAutomaton
    {
        private readonly int[] _transitions = transitions;
        private readonly ushort[] _classes = classes;
        private readonly ulong _reciprocal = reciprocal;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Next(int state, char c)
        {
            // Every class is < stride and every state is a premultiplied row start, so both loads are in range.
            int cls = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_classes), c);
            return Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_transitions), (nuint)(uint)(state + cls));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Ordinal(int state) => (int)(((uint)state * _reciprocal) >> 32);

        public int Walk(ReadOnlySpan<char> text, ref int position, int state, int maxSpecial)
        {
            ref ushort classes = ref MemoryMarshal.GetArrayDataReference(_classes);
            ref int transitions = ref MemoryMarshal.GetArrayDataReference(_transitions);
            ref char t0 = ref MemoryMarshal.GetReference(text);
            int i = position;
            int n = text.Length;
            while (i < n)
            {
                // Unsigned: the 32-bit add already clears the upper half, so no sign extension sits on the chain of dependent loads.
                state = Unsafe.Add(ref transitions, (nuint)(uint)(state + Unsafe.Add(ref classes, Unsafe.Add(ref t0, i))));
                i++;
                if (state <= maxSpecial)
                {
                    break;
                }
            }

            position = i;
            return state;
        }

        public int SkipWithoutMatch(ReadOnlySpan<char> text, ref int state, int start, int maxSpecial, int overlap, ReadOnlySpan<int> depth) =>
            AutomatonWalks.SkipWithoutMatch(new TableStep(ref MemoryMarshal.GetArrayDataReference(_classes), ref MemoryMarshal.GetArrayDataReference(_transitions), _reciprocal), text, ref state, start, maxSpecial, overlap, depth);

        /// <summary>The step of <see cref="Next"/> through references to the tables.</summary>
        private readonly ref struct TableStep : ITableStep
        {
            private readonly ref ushort _classes;
            private readonly ref int _transitions;
            private readonly ulong _reciprocal;

            public TableStep(ref ushort classes, ref int transitions, ulong reciprocal)
            {
                _classes = ref classes;
                _transitions = ref transitions;
                _reciprocal = reciprocal;
            }

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public int Next(int state, char c) => Unsafe.Add(ref _transitions, (nuint)(uint)(state + Unsafe.Add(ref _classes, c)));

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public int Ordinal(int state) => (int)(((uint)state * _reciprocal) >> 32);
        }
    }
}
