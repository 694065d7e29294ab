using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SafetyLayers.Matching.Automaton;

/// <summary>
/// The dense deterministic automaton of <see cref="Dfa"/> with 16-bit transitions, for large sets: state numbers instead of
/// premultiplied row offsets, and rows padded to a power of two so that a step is a shift, an add and one load:
/// <c>next = transitions[(state &lt;&lt; shift) + class[c]]</c>.
/// </summary>
/// <remarks>
/// Half the bytes of the 32-bit table (somewhat more with the padding) for at most 65,536 states: the 10,000-word set's
/// table goes from 11.5 to 6.6 MB, so more of the rows a scan visits stay in cache. The shift costs one cycle on the
/// chain of dependent loads, which small tables, already in the first-level cache, would pay for nothing: they keep
/// <see cref="Dfa"/>.
/// </remarks>
internal sealed class NarrowDfa
{
    /// <summary>The most states a 16-bit transition can name.</summary>
    public const int MaxStates = 65536;

    private NarrowDfa(ushort[] transitions, ushort[] classes, int shift)
    {
        Transitions = transitions;
        Classes = classes;
        Shift = shift;
    }

    public ushort[] Transitions { get; }

    public ushort[] Classes { get; }

    /// <summary>Gets the base-2 logarithm of the padded row length.</summary>
    public int Shift { get; }

    public long MemoryUsage => ((long)Transitions.Length * sizeof(ushort)) + ((long)Classes.Length * sizeof(ushort));

    /// <summary>Returns the size in bytes of the transition table the automaton would need.</summary>
    public static long TableBytes(AutomatonData data) => (long)data.StateCount * (long)BitOperations.RoundUpToPowerOf2((uint)data.ClassCount) * sizeof(ushort);

    public static NarrowDfa Build(AutomatonData data, CharClassMap classes)
    {
        if (data.StateCount > MaxStates)
        {
            throw new ArgumentOutOfRangeException(nameof(data), data.StateCount, "Too many states for 16-bit transitions.");
        }

        Dfa wide = Dfa.Build(data, classes);
        int stride = wide.Stride;
        int shift = BitOperations.Log2(BitOperations.RoundUpToPowerOf2((uint)stride));
        var table = new ushort[data.StateCount << shift];
        for (int state = 0; state < data.StateCount; state++)
        {
            for (int cls = 0; cls < stride; cls++)
            {
                table[(state << shift) + cls] = (ushort)(wide.Transitions[(state * stride) + cls] / stride);
            }
        }

        return new NarrowDfa(table, classes.Map, shift);
    }

    public Stepper CreateStepper() => new(Transitions, Classes, Shift);

    /// <summary>The scan-time view of the automaton; states are state numbers.</summary>
    internal readonly struct Stepper(ushort[] transitions, ushort[] classes, int shift) : IAutomaton
    {
        private readonly ushort[] _transitions = transitions;
        private readonly ushort[] _classes = classes;
        private readonly int _shift = shift;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Next(int state, char c)
        {
            // Every class is below the padded row length and every state below the state count, so both loads are in range.
            int cls = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_classes), c);
            return Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_transitions), (nuint)(uint)((state << _shift) + cls));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Ordinal(int state) => state;

        public int Walk(ReadOnlySpan<char> text, ref int position, int state, int maxSpecial)
        {
            // The loop of Dfa.Stepper.Walk with this automaton's step: written out, as there, so the JIT keeps it in registers
            // (a generic walk over IAutomaton.Next measured slower).
            ref ushort classes = ref MemoryMarshal.GetArrayDataReference(_classes);
            ref ushort transitions = ref MemoryMarshal.GetArrayDataReference(_transitions);
            ref char t0 = ref MemoryMarshal.GetReference(text);
            int shift = _shift;
            int i = position;
            int n = text.Length;
            while (i < n)
            {
                state = Unsafe.Add(ref transitions, (nuint)(uint)((state << shift) + Unsafe.Add(ref classes, Unsafe.Add(ref t0, i))));
                i++;
                if (state <= maxSpecial)
                {
                    break;
                }
            }

            position = i;
            return state;
        }
    }
}
