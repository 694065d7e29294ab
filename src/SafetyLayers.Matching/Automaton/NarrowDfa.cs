using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

using SafetyLayers.Matching.Prefilters;

namespace SafetyLayers.Matching.Automaton;

/// <summary>
/// The dense deterministic automaton of <see cref="Dfa"/> with 16-bit transitions, for large sets: state numbers instead of
/// premultiplied row offsets, so that a step is a shift, an add and one load:
/// <c>next = transitions[(state &lt;&lt; shift) + offset[c]]</c>.
/// </summary>
/// <remarks>
/// <para>Half the bytes of the 32-bit table for at most 65,536 states: the 10,000-word set's table goes from 11.5 to 6.6 MB,
/// so more of the rows a scan visits stay in cache. The shift costs one cycle on the chain of dependent loads, which small
/// tables, already in the first-level cache, would pay for nothing: they keep <see cref="Dfa"/>.</para>
/// <para>Rows of more than 16 classes are cut into planes of 16 columns (32 bytes, half a cache line, aligned while the table
/// stays where it was allocated): plane 0 holds the 16 classes whose characters are most common in text (class 0, the space
/// and the most frequent lower-case letters, by <see cref="CharacterFrequency"/>: for the 10,000-word benchmark set, 84 %
/// of the characters of the benchmark text), the others follow in planes of their own after all of plane 0. The rows a scan of prose visits most then take a
/// quarter of the bytes they took as whole rows of 64 columns, so more of them stay in cache. <c>offset[c]</c> folds the
/// plane's start and the column of the character's class into one number, so the step costs what it cost with one plane.
/// Planes of 32 columns (one line) measured slower on the 10,000-word set (87–95 against 94–110 MB/s) and the same on the
/// prompt-injection phrases.</para>
/// </remarks>
internal sealed class NarrowDfa
{
    /// <summary>The most states a 16-bit transition can name.</summary>
    public const int MaxStates = 65536;

    /// <summary>The columns of a plane: 16 transitions of 2 bytes, half a cache line.</summary>
    private const int MaxPlaneWidth = 16;

    private const int CacheLineChars = 64 / sizeof(ushort);

    private NarrowDfa(ushort[] transitions, uint[] offsets, int shift)
    {
        Transitions = transitions;
        Offsets = offsets;
        Shift = shift;
    }

    public ushort[] Transitions { get; }

    /// <summary>Gets, for every code unit, where its class's column lies from the start of a state's row in plane 0.</summary>
    public uint[] Offsets { get; }

    /// <summary>Gets the base-2 logarithm of the plane width.</summary>
    public int Shift { get; }

    public long MemoryUsage => ((long)Transitions.Length * sizeof(ushort)) + ((long)Offsets.Length * sizeof(uint));

    /// <summary>Returns the size in bytes of the transition table the automaton would need.</summary>
    public static long TableBytes(AutomatonData data) => (long)data.StateCount * PlaneWidth(data.ClassCount) * Planes(data.ClassCount) * sizeof(ushort);

    public static NarrowDfa Build(AutomatonData data, CharClassMap classes, bool ignoreCase)
    {
        if (data.StateCount > MaxStates)
        {
            throw new ArgumentOutOfRangeException(nameof(data), data.StateCount, "Too many states for 16-bit transitions.");
        }

        int stride = data.ClassCount;
        int width = PlaneWidth(stride);
        int shift = BitOperations.Log2((uint)width);
        int planeLength = data.StateCount << shift;
        int[] rank = RankByFrequency(classes, ignoreCase);

        // Over 4 MB, so on the large object heap, which the GC does not compact unless asked to: the rows stay aligned to
        // cache lines. (Were the table moved, only the alignment, a matter of speed, would be lost. A pinned array would
        // hold it for sure, but 40 builds of the default policies then ran 39 full collections instead of 21.)
        var table = new ushort[(Planes(stride) * planeLength) + CacheLineChars];
        int pad = CharsToCacheLine(table);
        var column = new int[stride]; // where each class's transitions lie from the start of a state's row in plane 0
        for (int cls = 0; cls < stride; cls++)
        {
            column[cls] = pad + ((rank[cls] / width) * planeLength) + (rank[cls] % width);
        }

        // Filled as Dfa.Build fills its table, in breadth-first order, straight into the planes (no 32-bit table first).
        int start = data.StartState;
        foreach (int state in data.BreadthFirstOrder)
        {
            int row = state << shift;
            int fail = data.Fail[state];
            int failRow = fail << shift;
            for (int cls = 0; cls < stride; cls++)
            {
                int child = data.Child(state, cls);
                int at = column[cls];
                table[row + at] = child >= 0 ? (ushort)child
                    : state == start ? (ushort)start
                    : fail == TrieBuilder.DeadId ? (ushort)0
                    : table[failRow + at];   // the failure state is shallower: its row is complete
            }
        }

        var offsets = new uint[classes.Map.Length];
        for (int c = 0; c < offsets.Length; c++)
        {
            offsets[c] = (uint)column[classes.Map[c]];
        }

        return new NarrowDfa(table, offsets, shift);
    }

    private static int PlaneWidth(int classCount) => (int)Math.Min(MaxPlaneWidth, BitOperations.RoundUpToPowerOf2((uint)classCount));

    private static int Planes(int classCount) => (classCount + MaxPlaneWidth - 1) / MaxPlaneWidth;

    /// <summary>Orders the classes by how common their characters are: class 0 (characters in no pattern) first, then by <see cref="CharacterFrequency.Score"/>.</summary>
    /// <returns>The rank of every class.</returns>
    private static int[] RankByFrequency(CharClassMap classes, bool ignoreCase)
    {
        int[] order = [0, .. Enumerable.Range(1, classes.ClassCount - 1).OrderByDescending(cls => CharacterFrequency.Score(classes.ClassRepresentatives[cls], ignoreCase))];
        var rank = new int[classes.ClassCount];
        for (int k = 0; k < order.Length; k++)
        {
            rank[order[k]] = k;
        }

        return rank;
    }

    /// <summary>Returns how many characters after the start of an array's data the next cache line begins.</summary>
    private static unsafe int CharsToCacheLine(ushort[] array)
    {
        nuint address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        return (int)((64 - (address % 64)) % 64) / sizeof(ushort);
    }

    public Stepper CreateStepper() => new(Transitions, Offsets, Shift);

    /// <summary>The scan-time view of the automaton; states are state numbers.</summary>
    internal readonly struct Stepper(ushort[] transitions, uint[] offsets, int shift) : IDenseAutomaton
    {
        private readonly ushort[] _transitions = transitions;
        private readonly uint[] _offsets = offsets;
        private readonly int _shift = shift;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Next(int state, char c)
        {
            // Every offset lies within plane 0's first row plus a plane's start, and every state below the state count, so both loads are in range.
            uint offset = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_offsets), c);
            return Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_transitions), (nuint)((uint)(state << _shift) + offset));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Ordinal(int state) => state;

        public int Walk(ReadOnlySpan<char> text, ref int position, int state, int maxSpecial)
        {
            // The loop of Dfa.Stepper.Walk with this automaton's step: written out, as there, so the JIT keeps it in registers
            // (a generic walk over IAutomaton.Next measured slower).
            ref uint offsets = ref MemoryMarshal.GetArrayDataReference(_offsets);
            ref ushort transitions = ref MemoryMarshal.GetArrayDataReference(_transitions);
            ref char t0 = ref MemoryMarshal.GetReference(text);
            int shift = _shift;
            int i = position;
            int n = text.Length;
            while (i < n)
            {
                state = Unsafe.Add(ref transitions, (nuint)((uint)(state << shift) + Unsafe.Add(ref offsets, Unsafe.Add(ref t0, i))));
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
            AutomatonWalks.SkipWithoutMatch(new TableStep(ref MemoryMarshal.GetArrayDataReference(_offsets), ref MemoryMarshal.GetArrayDataReference(_transitions), _shift), text, ref state, start, maxSpecial, overlap, depth);

        /// <summary>The step of <see cref="Next"/> through references to the tables.</summary>
        private readonly ref struct TableStep : ITableStep
        {
            private readonly ref uint _offsets;
            private readonly ref ushort _transitions;
            private readonly int _shift;

            public TableStep(ref uint offsets, ref ushort transitions, int shift)
            {
                _offsets = ref offsets;
                _transitions = ref transitions;
                _shift = shift;
            }

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public int Next(int state, char c) => Unsafe.Add(ref _transitions, (nuint)((uint)(state << _shift) + Unsafe.Add(ref _offsets, c)));

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            public int Ordinal(int state) => state;
        }
    }
}
