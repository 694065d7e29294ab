using System.Runtime.CompilerServices;
using SafetyLayers.Matching.Automaton;
using SafetyLayers.Matching.Prefilters;

namespace SafetyLayers.Matching;

/// <summary>One-shot scans: the loops are generic over the automaton so the JIT specialises one copy per engine.</summary>
public sealed partial class PatternSet
{
    /// <summary>The shortest text for which an overlapping scan without prefilter first walks four parts at once (<see cref="AutomatonWalks.SkipWithoutMatch"/>).</summary>
    private const int MinMultiStreamLength = AutomatonWalks.MinLength;

    /// <summary>The length of the windows that a scan without prefilter walks in four streams (<see cref="SkipWindowsWithoutMatch"/>).</summary>
    /// <remarks>
    /// After a match in a window's last part the parts before it finish one at a time, so shorter windows leave less to
    /// walk in one stream: on the default policy's 4 KB of chat prompts (11 matches) the walk took 4.8 µs with windows of
    /// 512 characters, 4.2 µs with 256 and with 128 (and 128 cost more on 200-character messages).
    /// </remarks>
    internal const int WindowLength = 256;

    internal bool MoveNext(ref PatternMatchEnumerator e)
    {
        if (Count == 0)
        {
            e.Position = e.Text.Length;   // nothing can match: do not walk the text
            return false;
        }

        if (_dfa is { } dfa)
        {
            return MoveNextDense(dfa.CreateStepper(), ref e);
        }

        if (_narrowDfa is { } narrow)
        {
            return MoveNextDense(narrow.CreateStepper(), ref e);
        }

        return MatchKind == MatchKind.Overlapping ? MoveNextOverlapping(_nfa!.CreateStepper(), ref e) : MoveNextLeftmost(_nfa!.CreateStepper(), ref e);
    }

    /// <summary>The scans of the dense automata: where no prefilter skips, stretches without a match are walked in four streams first.</summary>
    private bool MoveNextDense<TAutomaton>(TAutomaton automaton, ref PatternMatchEnumerator e)
        where TAutomaton : struct, IDenseAutomaton
    {
        if (MatchKind != MatchKind.Overlapping)
        {
            if ((_prefilter is null || e.PrefilterStats.Off) && e.Text.Length - e.Position >= MinMultiStreamLength && e.MultiStreamPays)
            {
                e.Position = SkipWindowsWithoutMatch(automaton, ref e, _start, out _);
                if (e.Position == e.Text.Length)
                {
                    return false;
                }
            }

            return MoveNextLeftmost(automaton, ref e);
        }

        if (_prefilter is null && e.ListPosition >= e.ListEnd && e.Text.Length - e.Position >= MinMultiStreamLength && e.MultiStreamPays)
        {
            // No prefilter skips for this set: look for the next match with four streams first, where most texts end. After
            // a match the walk starts in the state the scan is in.
            e.Position = SkipWindowsWithoutMatch(automaton, ref e, e.State, out int state);
            e.State = state;
            if (e.Position == e.Text.Length)
            {
                return false;
            }
        }

        return MoveNextOverlapping(automaton, ref e);
    }

    /// <summary>
    /// Walks windows of the text after <c>e.Position</c> in four streams (<see cref="AutomatonWalks.SkipWithoutMatch"/>) while
    /// no match ends in them, and returns where the one-stream scan must go on, in <paramref name="resumeState"/>: the text's
    /// length when no match is left, else a place before which no match starts that the scan has not seen.
    /// </summary>
    /// <param name="automaton">The automaton.</param>
    /// <param name="e">The enumerator; <c>e.Position</c> is where the walk begins.</param>
    /// <param name="state">The state at <c>e.Position</c>: the start state for the leftmost kinds, the scan's state for overlapping.</param>
    /// <param name="resumeState">The state to go on in at the returned place.</param>
    /// <remarks>
    /// Each window begins in the state the last one ended in, so windows do not overlap. Windows are short
    /// (<see cref="WindowLength"/>) so that after a match in a window's last part, the parts before it finish at most a few
    /// hundred characters one at a time. After a match the scan goes on from up to <c>MaxPatternLength - 1</c> characters
    /// before it in the start state, or, when that is before the window, from the window's start in the state it began in
    /// (the leftmost kinds, whose matches cannot start before <c>e.Position</c>, go on from there in the start state). Where
    /// matches are closer than half a window, the enumerator stops trying (<see cref="PatternMatchEnumerator.MultiStreamPays"/>).
    /// </remarks>
    private int SkipWindowsWithoutMatch<TAutomaton>(TAutomaton automaton, ref PatternMatchEnumerator e, int state, out int resumeState)
        where TAutomaton : struct, IDenseAutomaton
    {
        ReadOnlySpan<char> text = e.Text;
        int overlap = MaxPatternLength - 1;
        int n = text.Length;
        int from = e.Position;
        int i = from;
        resumeState = state;
        while (i < n)
        {
            // The last window takes what is left when that is under half a window, so no window is shorter than half of one.
            int length = n - i < WindowLength + (WindowLength / 2) ? n - i : WindowLength;
            int windowState = state;
            int skip = automaton.SkipWithoutMatch(text.Slice(i, length), ref state, _start, _maxMatchState, overlap, _depth);
            if (skip < length)
            {
                if (skip > 0 || MatchKind != MatchKind.Overlapping)
                {
                    resumeState = _start;
                    i = Math.Max(from, i + skip);
                }
                else
                {
                    resumeState = windowState;   // the place to go on from lies before this window: its start, in its state
                }

                break;
            }

            i += length;
            resumeState = state;
        }

        e.MultiStreamCalls++;
        e.MultiStreamSkipped += i - from;
        return i;
    }

    /// <summary>Finds the next leftmost-first or leftmost-longest match at or after <c>e.Position</c>.</summary>
    /// <remarks>
    /// The automaton starts in the start state at the resume position. Until a match state is reached it may fall back to the
    /// start state (and the prefilter skips ahead); after one, every state extends a match with the same start, and the dead
    /// state means the last match seen is final. The search resumes at that match's end, as in the Rust crate.
    /// </remarks>
    private bool MoveNextLeftmost<TAutomaton>(TAutomaton automaton, ref PatternMatchEnumerator e)
        where TAutomaton : struct, IAutomaton
    {
        ReadOnlySpan<char> text = e.Text;
        int n = text.Length;
        int i = e.Position;
        if (_verifier is not null && !e.PrefilterStats.Off && i < n)
        {
            if (_verifier.TryFindLeftmost(text, ref i, ref e.PrefilterStats, out PatternMatch found))
            {
                e.Current = found;
                e.Position = found.Index + found.Length;
                return true;
            }

            if (!e.PrefilterStats.Off)
            {
                e.Position = n;
                return false;
            }
        }

        Prefilter? prefilter = e.PrefilterStats.Off ? null : _prefilter;
        if (prefilter is not null && i < n)
        {
            i = e.PrefilterStats.Next(prefilter, text, i);
            if (i < 0)
            {
                e.Position = n;
                return false;
            }
        }

        int start = _start;
        int maxSpecial = prefilter is null ? _maxMatchState : _maxSpecialWithPrefilter;
        int state = start;
        int lastPattern = -1;
        int lastEnd = 0;
        while (i < n)
        {
            state = automaton.Walk(text, ref i, state, maxSpecial);
            if (state <= maxSpecial)
            {
                if (state == start)
                {
                    i = e.PrefilterStats.Next(prefilter!, text, i);
                    if (i < 0)
                    {
                        break;
                    }

                    if (e.PrefilterStats.Off)
                    {
                        maxSpecial = _maxMatchState;
                    }

                    continue;
                }

                if (state == TrieBuilder.DeadId)
                {
                    break;
                }

                int ordinal = automaton.Ordinal(state);
                lastPattern = _matchPatterns[_matchOffsets[ordinal]];
                lastEnd = i;
                if (_leaf[ordinal])
                {
                    break;
                }
            }
        }

        if (lastPattern < 0)
        {
            e.Position = n;
            return false;
        }

        int length = _patternLengths[lastPattern];
        e.Current = new PatternMatch(lastPattern, lastEnd - length, length);
        e.Position = lastEnd;
        return true;
    }

    /// <summary>Finds the next overlapping match: every pattern of every match state, in order of end position.</summary>
    private bool MoveNextOverlapping<TAutomaton>(TAutomaton automaton, ref PatternMatchEnumerator e)
        where TAutomaton : struct, IAutomaton
    {
        if (e.ListPosition < e.ListEnd)
        {
            EmitFromList(ref e);
            return true;
        }

        ReadOnlySpan<char> text = e.Text;
        int n = text.Length;
        int i = e.Position;
        int state = e.State;
        int start = _start;
        Prefilter? prefilter = e.PrefilterStats.Off ? null : _prefilter;
        if (prefilter is not null && state == start && i < n)
        {
            i = e.PrefilterStats.Next(prefilter, text, i);
            if (i < 0)
            {
                e.Position = n;
                return false;
            }
        }

        int maxSpecial = prefilter is null ? _maxMatchState : _maxSpecialWithPrefilter;
        while (i < n)
        {
            state = automaton.Walk(text, ref i, state, maxSpecial);
            if (state <= maxSpecial)
            {
                if (state == start)
                {
                    i = e.PrefilterStats.Next(prefilter!, text, i);
                    if (i < 0)
                    {
                        break;
                    }

                    if (e.PrefilterStats.Off)
                    {
                        maxSpecial = _maxMatchState;
                    }

                    continue;
                }

                int ordinal = automaton.Ordinal(state);
                e.ListPosition = _matchOffsets[ordinal];
                e.ListEnd = _matchOffsets[ordinal + 1];
                e.MatchEnd = i;
                e.State = state;
                e.Position = i;
                EmitFromList(ref e);
                return true;
            }
        }

        e.State = state;
        e.Position = n;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EmitFromList(ref PatternMatchEnumerator e)
    {
        int pattern = _matchPatterns[e.ListPosition];
        e.ListPosition++;
        int length = _patternLengths[pattern];
        e.Current = new PatternMatch(pattern, e.MatchEnd - length, length);
    }
}
