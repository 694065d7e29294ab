using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SafetyLayers.Matching.Automaton;

/// <summary>
/// A compact automaton for very large pattern sets: complete (dense) rows for the dead state and every state at most
/// <see cref="DenseDepth"/> characters deep (fewer when the alphabet is large), where a scan spends most of its time, and sorted sparse children plus a failure link for
/// every deeper state.
/// </summary>
internal sealed class Nfa
{
    private Nfa(int[] denseRowOf, int[] dense, int[] childOffsets, ushort[] childClasses, int[] childTargets, int[] fail, ushort[] classes, int stride)
    {
        DenseRowOf = denseRowOf;
        Dense = dense;
        ChildOffsets = childOffsets;
        ChildClasses = childClasses;
        ChildTargets = childTargets;
        Fail = fail;
        Classes = classes;
        Stride = stride;
    }

    public int[] DenseRowOf { get; }

    public int[] Dense { get; }

    public int[] ChildOffsets { get; }

    public ushort[] ChildClasses { get; }

    public int[] ChildTargets { get; }

    public int[] Fail { get; }

    public ushort[] Classes { get; }

    public int Stride { get; }

    public long MemoryUsage =>
        ((long)DenseRowOf.Length * sizeof(int)) + ((long)Dense.Length * sizeof(int)) + ((long)ChildOffsets.Length * sizeof(int))
        + ((long)ChildClasses.Length * sizeof(ushort)) + ((long)ChildTargets.Length * sizeof(int)) + ((long)Fail.Length * sizeof(int))
        + ((long)Classes.Length * sizeof(ushort));

    /// <summary>States up to this depth get complete rows: a scan spends most of its steps near the start state.</summary>
    internal const int DenseDepth = 2;

    /// <summary>The most bytes of complete rows; with many distinct characters, fewer levels get them (the start state always does).</summary>
    internal const long MaxDenseBytes = 8L * 1024 * 1024;

    public static Nfa Build(AutomatonData data, CharClassMap classes)
    {
        int stride = data.ClassCount;
        int denseDepth = DenseDepth;
        while (denseDepth > 0 && (long)(1 + data.Depth.Count(d => d <= denseDepth)) * stride * sizeof(int) > MaxDenseBytes)
        {
            denseDepth--;
        }

        var denseRowOf = new int[data.StateCount];
        Array.Fill(denseRowOf, -1);
        int denseCount = 1; // the dead state's row, all zeros
        denseRowOf[TrieBuilder.DeadId] = 0;
        foreach (int state in data.BreadthFirstOrder)
        {
            if (data.Depth[state] <= denseDepth)
            {
                denseRowOf[state] = checked(denseCount++ * stride);
            }
        }

        var dense = new int[denseCount * stride];
        int start = data.StartState;

        // Breadth-first, so a failure state (always shallower) has its complete row before the states that fail to it.
        foreach (int state in data.BreadthFirstOrder)
        {
            int row = denseRowOf[state];
            if (row < 0)
            {
                continue;
            }

            int fail = data.Fail[state];
            for (int cls = 0; cls < stride; cls++)
            {
                int child = data.Child(state, cls);
                dense[row + cls] = child >= 0 ? child
                    : state == start ? start
                    : fail == TrieBuilder.DeadId ? TrieBuilder.DeadId
                    : dense[denseRowOf[fail] + cls];
            }
        }

        return new Nfa(denseRowOf, dense, data.ChildOffsets, data.ChildClasses, data.ChildTargets, data.Fail, classes.Map, stride);
    }

    public Stepper CreateStepper() => new(this);

    /// <summary>The scan-time view of the automaton.</summary>
    internal readonly struct Stepper(Nfa nfa) : IAutomaton
    {
        private readonly int[] _denseRowOf = nfa.DenseRowOf;
        private readonly int[] _dense = nfa.Dense;
        private readonly int[] _childOffsets = nfa.ChildOffsets;
        private readonly ushort[] _childClasses = nfa.ChildClasses;
        private readonly int[] _childTargets = nfa.ChildTargets;
        private readonly int[] _fail = nfa.Fail;
        private readonly ushort[] _classes = nfa.Classes;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Next(int state, char c)
        {
            int cls = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_classes), c);
            return Step(state, cls);
        }

        public int Ordinal(int state) => state;

        public int Walk(ReadOnlySpan<char> text, ref int position, int state, int maxSpecial)
        {
            int i = position;
            while (i < text.Length)
            {
                state = Next(state, text[i]);
                i++;
                if (state <= maxSpecial)
                {
                    break;
                }
            }

            position = i;
            return state;
        }

        private int Step(int state, int cls)
        {
            // Every state id, offset and class comes from the automaton's own tables, so the reads stay in range.
            ref int denseRowOf = ref MemoryMarshal.GetArrayDataReference(_denseRowOf);
            ref int offsets = ref MemoryMarshal.GetArrayDataReference(_childOffsets);
            ref ushort childClasses = ref MemoryMarshal.GetArrayDataReference(_childClasses);
            while (true)
            {
                int row = Unsafe.Add(ref denseRowOf, state);
                if (row >= 0)
                {
                    return Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_dense), row + cls);
                }

                int lo = Unsafe.Add(ref offsets, state);
                int hi = Unsafe.Add(ref offsets, state + 1);
                for (int i = lo; i < hi; i++)
                {
                    int c = Unsafe.Add(ref childClasses, i);
                    if (c >= cls)
                    {
                        if (c == cls)
                        {
                            return Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_childTargets), i);
                        }

                        break;
                    }
                }

                state = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_fail), state);
            }
        }
    }
}
