using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SafetyLayers.Matching.Automaton;

/// <summary>
/// A compact automaton for very large pattern sets: complete (dense) rows for the dead state, the start state and the
/// states one character deep, where a scan spends most of its time, and sorted sparse children plus a failure link for
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

    public static Nfa Build(AutomatonData data, CharClassMap classes)
    {
        int stride = data.ClassCount;
        var denseRowOf = new int[data.StateCount];
        Array.Fill(denseRowOf, -1);
        var denseStates = new List<int>();
        for (int state = 0; state < data.StateCount; state++)
        {
            if (state == TrieBuilder.DeadId || data.Depth[state] <= 1)
            {
                denseRowOf[state] = denseStates.Count * stride;
                denseStates.Add(state);
            }
        }

        var dense = new int[denseStates.Count * stride];
        int start = data.StartState;
        int startRow = denseRowOf[start];
        // The start row first (depth-1 rows fall back to it), then the rest; the dead row stays all zeros.
        foreach (int state in denseStates.OrderBy(s => s == start ? 0 : 1))
        {
            if (state == TrieBuilder.DeadId)
            {
                continue;
            }

            int row = denseRowOf[state];
            for (int cls = 0; cls < stride; cls++)
            {
                int child = data.Child(state, cls);
                dense[row + cls] = child >= 0 ? child
                    : state == start ? start
                    : data.Fail[state] == TrieBuilder.DeadId ? TrieBuilder.DeadId
                    : dense[startRow + cls];
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

        private int Step(int state, int cls)
        {
            while (true)
            {
                int row = _denseRowOf[state];
                if (row >= 0)
                {
                    return _dense[row + cls];
                }

                int lo = _childOffsets[state];
                int hi = _childOffsets[state + 1];
                ushort target = (ushort)cls;
                for (int i = lo; i < hi; i++)
                {
                    ushort c = _childClasses[i];
                    if (c >= target)
                    {
                        if (c == target)
                        {
                            return _childTargets[i];
                        }

                        break;
                    }
                }

                state = _fail[state];
            }
        }
    }
}
