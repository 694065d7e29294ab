namespace SafetyLayers.Matching.Automaton;

/// <summary>
/// Builds the Aho-Corasick automaton over character classes: a trie of the patterns with failure links and match lists.
/// The result is turned into a <see cref="Dfa"/> or an <see cref="Nfa"/>.
/// </summary>
/// <remarks>
/// The construction follows the Rust aho-corasick crate, whose leftmost semantics come from two changes to the classic
/// automaton: (1) a match state's failure link goes to the dead state, so once a match is seen the automaton only extends
/// matches that start at the same position (and dies otherwise); (2) for leftmost-first, a pattern that runs through an
/// earlier pattern's match state is not added past it, since the earlier pattern would always win at that start.
/// States are numbered with the dead state first, then the match states, then the start state, then the rest, so that one
/// comparison (<c>state &lt;= maxSpecial</c>) tells the scan loop when anything but an ordinary transition happened.
/// </remarks>
internal sealed class TrieBuilder
{
    internal const int DeadId = 0;
    internal const int StartId = 1;
    private const int NoState = -1;

    private readonly MatchKind _kind;
    private readonly int _classCount;
    private readonly List<int> _depth = [];
    private readonly List<int> _fail = [];
    private readonly List<List<int>?> _matches = [];
    private readonly List<int> _firstLink = [];
    private readonly List<ushort> _linkClass = [];
    private readonly List<int> _linkNext = [];
    private readonly List<int> _linkSibling = [];
    private readonly int[] _startTransitions;

    public TrieBuilder(MatchKind kind, int classCount)
    {
        _kind = kind;
        _classCount = classCount;
        _startTransitions = new int[classCount];
        Array.Fill(_startTransitions, NoState);
        AddState(0); // dead
        AddState(0); // start
    }

    public int StateCount => _depth.Count;

    private bool IsLeftmost => _kind != MatchKind.Overlapping;

    public void AddPattern(int patternId, ReadOnlySpan<ushort> classes)
    {
        int state = StartId;
        bool sawMatch = false;
        foreach (ushort cls in classes)
        {
            sawMatch |= _matches[state] is not null;
            if (_kind == MatchKind.LeftmostFirst && sawMatch)
            {
                return; // an earlier pattern is a prefix of this one: this one can never win
            }

            int next = Child(state, cls);
            if (next == NoState)
            {
                next = AddState(_depth[state] + 1);
                AddChild(state, cls, next);
            }

            state = next;
        }

        (_matches[state] ??= []).Add(patternId);
    }

    /// <summary>Computes failure links and match lists, renumbers the states and returns the finished automaton data.</summary>
    public AutomatonData Finish(int[] patternLengths)
    {
        int[] order = ComputeFailureLinks();
        return Renumber(order, patternLengths);
    }

    private int AddState(int depth)
    {
        _depth.Add(depth);
        _fail.Add(StartId);
        _matches.Add(null);
        _firstLink.Add(NoState);
        return _depth.Count - 1;
    }

    private int Child(int state, ushort cls)
    {
        if (state == StartId)
        {
            return _startTransitions[cls];
        }

        for (int link = _firstLink[state]; link != NoState; link = _linkSibling[link])
        {
            if (_linkClass[link] == cls)
            {
                return _linkNext[link];
            }
        }

        return NoState;
    }

    private void AddChild(int state, ushort cls, int next)
    {
        if (state == StartId)
        {
            _startTransitions[cls] = next;
            return;
        }

        _linkClass.Add(cls);
        _linkNext.Add(next);
        _linkSibling.Add(_firstLink[state]);
        _firstLink[state] = _linkClass.Count - 1;
    }

    /// <summary>The transition of the finished automaton, following failure links: never <see cref="NoState"/>.</summary>
    private int Follow(int state, ushort cls)
    {
        while (true)
        {
            if (state == DeadId)
            {
                return DeadId;
            }

            if (state == StartId)
            {
                int t = _startTransitions[cls];
                return t == NoState ? StartId : t;
            }

            int next = Child(state, cls);
            if (next != NoState)
            {
                return next;
            }

            state = _fail[state];
        }
    }

    private IEnumerable<(ushort Class, int Next)> Children(int state)
    {
        if (state == StartId)
        {
            for (int c = 0; c < _startTransitions.Length; c++)
            {
                if (_startTransitions[c] != NoState)
                {
                    yield return ((ushort)c, _startTransitions[c]);
                }
            }

            yield break;
        }

        for (int link = _firstLink[state]; link != NoState; link = _linkSibling[link])
        {
            yield return (_linkClass[link], _linkNext[link]);
        }
    }

    /// <returns>The states in breadth-first order, start first.</returns>
    private int[] ComputeFailureLinks()
    {
        var order = new List<int>(StateCount) { StartId };
        var queue = new Queue<int>();
        foreach ((_, int next) in Children(StartId))
        {
            _fail[next] = StartId;
            if (IsLeftmost && _matches[next] is not null)
            {
                _fail[next] = DeadId;
            }

            queue.Enqueue(next);
        }

        while (queue.Count > 0)
        {
            int state = queue.Dequeue();
            order.Add(state);
            foreach ((ushort cls, int next) in Children(state))
            {
                queue.Enqueue(next);
                if (IsLeftmost && _matches[next] is not null)
                {
                    _fail[next] = DeadId;
                    continue;
                }

                int fail = Follow(_fail[state], cls);
                _fail[next] = fail;
                if (_matches[fail] is { } inherited)
                {
                    (_matches[next] ??= []).AddRange(inherited);
                }
            }
        }

        return [.. order];
    }

    private AutomatonData Renumber(int[] bfsOrder, int[] patternLengths)
    {
        // New ids: dead, match states (breadth-first), start, all other states (breadth-first).
        var newId = new int[StateCount];
        var oldOf = new int[StateCount];
        int next = 0;
        newId[DeadId] = next;
        oldOf[next++] = DeadId;
        foreach (int old in bfsOrder)
        {
            if (old != StartId && _matches[old] is not null)
            {
                newId[old] = next;
                oldOf[next++] = old;
            }
        }

        int matchStateCount = next - 1;
        newId[StartId] = next;
        oldOf[next++] = StartId;
        foreach (int old in bfsOrder)
        {
            if (old != StartId && _matches[old] is null)
            {
                newId[old] = next;
                oldOf[next++] = old;
            }
        }

        // Match lists, indexed by the new id of match states (1..matchStateCount).
        var matchOffsets = new int[matchStateCount + 2];
        var matchPatterns = new List<int>();
        for (int id = 1; id <= matchStateCount; id++)
        {
            matchOffsets[id] = matchPatterns.Count;
            matchPatterns.AddRange(_matches[oldOf[id]]!);
        }

        matchOffsets[matchStateCount + 1] = matchPatterns.Count;

        var depth = new int[StateCount];
        var fail = new int[StateCount];
        var bfs = new int[bfsOrder.Length];
        for (int id = 0; id < StateCount; id++)
        {
            depth[id] = _depth[oldOf[id]];
            fail[id] = newId[_fail[oldOf[id]]];
        }

        for (int i = 0; i < bfsOrder.Length; i++)
        {
            bfs[i] = newId[bfsOrder[i]];
        }

        // Sparse children in the new numbering, sorted by class.
        var childOffsets = new int[StateCount + 1];
        var childClasses = new List<ushort>();
        var childTargets = new List<int>();
        var buffer = new List<(ushort Class, int Next)>();
        for (int id = 0; id < StateCount; id++)
        {
            childOffsets[id] = childClasses.Count;
            if (id == DeadId)
            {
                continue;
            }

            buffer.Clear();
            buffer.AddRange(Children(oldOf[id]));
            buffer.Sort((a, b) => a.Class.CompareTo(b.Class));
            foreach ((ushort cls, int target) in buffer)
            {
                childClasses.Add(cls);
                childTargets.Add(newId[target]);
            }
        }

        childOffsets[StateCount] = childClasses.Count;

        return new AutomatonData(
            _kind,
            _classCount,
            StateCount,
            matchStateCount,
            StartState: matchStateCount + 1,
            depth,
            fail,
            bfs,
            childOffsets,
            [.. childClasses],
            [.. childTargets],
            matchOffsets,
            [.. matchPatterns],
            patternLengths);
    }
}
