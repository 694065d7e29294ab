using System.Diagnostics;
using System.Runtime.CompilerServices;
using SafetyLayers.Matching.Automaton;

namespace SafetyLayers.Matching;

/// <summary>Streaming scans: the automaton state and, for the leftmost kinds, a pending match carry over between chunks.</summary>
public sealed partial class PatternSet
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool MoveNext(ref StreamingMatchEnumerator e)
    {
        if (_dfa is { } dfa)
        {
            return MoveNextStreaming(dfa.CreateStepper(), ref e);
        }

        if (_narrowDfa is { } narrow)
        {
            return MoveNextStreaming(narrow.CreateStepper(), ref e);
        }

        return MoveNextStreaming(_nfa!.CreateStepper(), ref e);
    }

    /// <summary>
    /// The common case of a token-sized chunk, in a method small enough to be cheap to enter: a chunk in which no match state is
    /// reached only moves the automaton on. Anything else (a match state, the final block, a match still being enumerated)
    /// goes to the scan of the match kind, which starts the chunk again: the steps are cheap beside the per-chunk costs.
    /// </summary>
    private bool MoveNextStreaming<TAutomaton>(TAutomaton automaton, ref StreamingMatchEnumerator e)
        where TAutomaton : struct, IAutomaton
    {
        ref StreamingScanState st = ref e.State;
        if (!e.Done && !e.IsFinalBlock && st.Position == e.ChunkStart && e.ListPosition >= e.ListEnd)
        {
            ReadOnlySpan<char> chunk = e.Chunk;
            int i = 0;
            int state = automaton.Walk(chunk, ref i, st.State == 0 ? _start : st.State, _maxMatchState);
            if (state > _maxMatchState)
            {
                e.Done = true;
                if (MatchKind != MatchKind.Overlapping)
                {
                    KeepForRescan(ref st, chunk, e.ChunkStart);
                }

                st.State = state;
                st.Position = e.ChunkStart + chunk.Length;
                return false;
            }
        }

        return MatchKind == MatchKind.Overlapping ? MoveNextStreamingOverlapping(automaton, ref e) : MoveNextStreamingLeftmost(automaton, ref e);
    }

    private bool MoveNextStreamingOverlapping<TAutomaton>(TAutomaton automaton, ref StreamingMatchEnumerator e)
        where TAutomaton : struct, IAutomaton
    {
        if (e.ListPosition < e.ListEnd)
        {
            int pattern = _matchPatterns[e.ListPosition];
            e.ListPosition++;
            int length = _patternLengths[pattern];
            e.Current = new PatternMatch(pattern, (int)(e.MatchEnd - e.ChunkStart) - length, length);
            return true;
        }

        if (e.Done)
        {
            return false;
        }

        ref StreamingScanState st = ref e.State;
        ReadOnlySpan<char> chunk = e.Chunk;
        int i = (int)(st.Position - e.ChunkStart);
        int state = st.State == 0 ? _start : st.State;
        int maxMatch = _maxMatchState;
        while (i < chunk.Length)
        {
            state = automaton.Walk(chunk, ref i, state, maxMatch);
            if (state <= maxMatch)
            {
                int ordinal = automaton.Ordinal(state);
                int pattern = _matchPatterns[_matchOffsets[ordinal]];
                e.ListPosition = _matchOffsets[ordinal] + 1;
                e.ListEnd = _matchOffsets[ordinal + 1];
                e.MatchEnd = e.ChunkStart + i;
                st.State = state;
                st.Position = e.ChunkStart + i;
                int length = _patternLengths[pattern];
                e.Current = new PatternMatch(pattern, i - length, length);
                return true;
            }
        }

        e.Done = true;
        if (e.IsFinalBlock)
        {
            st.Reset();
        }
        else
        {
            st.State = state;
            st.Position = e.ChunkStart + chunk.Length;
        }

        return false;
    }

    /// <summary>
    /// The streaming form of <see cref="MoveNextLeftmost"/>. The last match seen stays pending until the dead state (or a
    /// leaf match state) decides it; the search then resumes at its end, which may lie in an earlier chunk: the characters
    /// from there on are kept in the state's buffer (at most <see cref="MaxPatternLength"/> - 1 of them).
    /// </summary>
    private bool MoveNextStreamingLeftmost<TAutomaton>(TAutomaton automaton, ref StreamingMatchEnumerator e)
        where TAutomaton : struct, IAutomaton
    {
        if (e.Done)
        {
            return false;
        }

        ref StreamingScanState st = ref e.State;
        ReadOnlySpan<char> chunk = e.Chunk;
        long chunkStart = e.ChunkStart;
        int maxMatch = _maxMatchState;
        int state = st.State == 0 ? _start : st.State;
        long position = st.Position;
        while (true)
        {
            // Characters of earlier chunks, read again after a match was decided in them.
            while (position < chunkStart)
            {
                char c = st.Buffer![(int)(position - st.BufferStart)];
                state = automaton.Next(state, c);
                position++;
                if (state <= maxMatch && Decide(automaton, ref st, ref state, ref position, chunkStart, out PatternMatch match))
                {
                    e.Current = match;
                    return true;
                }
            }

            int i = (int)(position - chunkStart);
            while (i < chunk.Length)
            {
                state = automaton.Walk(chunk, ref i, state, maxMatch);
                if (state <= maxMatch)
                {
                    position = chunkStart + i;
                    if (Decide(automaton, ref st, ref state, ref position, chunkStart, out PatternMatch match))
                    {
                        e.Current = match;
                        return true;
                    }
                }
            }

            position = chunkStart + chunk.Length;
            if (e.IsFinalBlock && st.PendingPattern != 0)
            {
                e.Current = TakePending(ref st, chunkStart);
                position = st.PendingEnd;
                st.State = _start;
                st.Position = position;
                return true;
            }

            e.Done = true;
            if (e.IsFinalBlock)
            {
                st.Reset();
            }
            else
            {
                KeepForRescan(ref st, chunk, chunkStart);
                st.State = state;
                st.Position = position;
            }

            return false;
        }
    }

    /// <summary>Handles a special state: records a pending match, or reports the match that is now decided.</summary>
    /// <returns><see langword="true"/> when <paramref name="match"/> is decided; the state and position are then saved.</returns>
    private bool Decide<TAutomaton>(TAutomaton automaton, ref StreamingScanState st, ref int state, ref long position, long chunkStart, out PatternMatch match)
        where TAutomaton : struct, IAutomaton
    {
        if (state == TrieBuilder.DeadId)
        {
            Debug.Assert(st.PendingPattern != 0, "The dead state is only reachable after a match state.");
            match = TakePending(ref st, chunkStart);
            position = st.PendingEnd;
        }
        else
        {
            int ordinal = automaton.Ordinal(state);
            int pattern = _matchPatterns[_matchOffsets[ordinal]];
            if (!_leaf[ordinal])
            {
                st.PendingPattern = pattern + 1;
                st.PendingEnd = position;
                match = default;
                return false;
            }

            st.PendingPattern = 0;
            int length = _patternLengths[pattern];
            match = new PatternMatch(pattern, (int)(position - chunkStart) - length, length);
        }

        state = _start;
        st.State = _start;
        st.Position = position;
        return true;
    }

    private PatternMatch TakePending(ref StreamingScanState st, long chunkStart)
    {
        int pattern = st.PendingPattern - 1;
        st.PendingPattern = 0;
        int length = _patternLengths[pattern];
        return new PatternMatch(pattern, (int)(st.PendingEnd - chunkStart) - length, length);
    }

    /// <summary>Keeps the characters after a pending match's end: a later dead state resumes the search there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void KeepForRescan(ref StreamingScanState st, ReadOnlySpan<char> chunk, long chunkStart)
    {
        long chunkEnd = chunkStart + chunk.Length;
        if (st.PendingPattern == 0 || st.PendingEnd == chunkEnd)
        {
            st.BufferLength = 0;
            st.BufferStart = chunkEnd;
            return;
        }

        KeepPendingTail(ref st, chunk, chunkStart);
    }

    /// <summary>Copies the characters after the pending match's end, from the buffer and the chunk, to the start of the buffer.</summary>
    private void KeepPendingTail(ref StreamingScanState st, ReadOnlySpan<char> chunk, long chunkStart)
    {
        long chunkEnd = chunkStart + chunk.Length;
        long keepFrom = st.PendingEnd;
        int keep = (int)(chunkEnd - keepFrom);

        Debug.Assert(keep < MaxPatternLength, "A pending match and its extension fit in MaxPatternLength characters.");
        char[] buffer = st.Buffer ??= new char[MaxPatternLength];
        if (keepFrom < chunkStart)
        {
            int fromBuffer = (int)(chunkStart - keepFrom);
            Array.Copy(buffer, (int)(keepFrom - st.BufferStart), buffer, 0, fromBuffer);
            chunk.CopyTo(buffer.AsSpan(fromBuffer));
        }
        else
        {
            chunk.Slice((int)(keepFrom - chunkStart)).CopyTo(buffer);
        }

        st.BufferStart = keepFrom;
        st.BufferLength = keep;
    }
}
