using System.Text;

namespace SafetyLayers;

/// <summary>
/// Redacts a text that arrives in chunks, holding back only what a finding could still need and emitting the rest at once.
/// </summary>
/// <remarks>
/// <para>
/// Algorithm. The buffer holds <em>context</em> (the last <c>S = </c><see cref="TextScanner.ShortMatchLength"/> original characters
/// already decided, so word boundaries and look-behinds see what precedes) followed by the <em>held</em> text. After each chunk the
/// scanner says where an unfinished match could start (<see cref="TextScanner.EarliestPendingStart"/>): <c>S</c> characters before the
/// end, or earlier at a live start anchor of a long rule (a <c>-----BEGIN</c> or <c>eyJ</c> whose rule could still match from there).
/// Once that <c>limit</c> is past the held start (by a batch, see below), the window (context + held) is rescanned. Every finding that
/// starts before <c>limit</c> is settled: it ends inside the window and the scanner saw every character it depends on (its rule's length
/// and one more of look-ahead). Settled findings are applied in order: Redact findings (merged when they overlap, the merged span taking
/// the first one's placeholder) are replaced, Flag findings are recorded, and a Block finding stops the text just before it. A Redact
/// group that reaches past <c>limit</c> is not settled yet: the emission stops at its start. Text is never cut between a high and a low
/// surrogate. <see cref="Complete"/> settles everything.
/// </para>
/// <para>
/// So text with no live anchor is emitted at most <c>S</c> characters after it arrived (plus the extent of an unfinished finding, and,
/// when <c>S</c> exceeds 64, a batch of at least <see cref="MinBatch"/> characters gathered between rescans so that their cost stays
/// near a whole-text scan),
/// and the decisions depend on the text, not on where the chunks were cut: the output for any chunking equals the output of
/// <see cref="Complete"/> on the whole text, which is what the non-streaming filter returns. Held text costs no allocation; one string
/// is allocated per emission.
/// </para>
/// </remarks>
internal sealed class StreamingRedactor
{
    /// <summary>
    /// The fewest characters gathered between rescans when the short bound exceeds 64. A rescan of the default output policy costs
    /// microseconds however short the window, so rescanning every few characters would cost microseconds per token (measured: 8 to
    /// 36 µs per 4-character chunk with batches of 8); with 256, benign text waits at most <c>S + 256</c> characters and the rescans
    /// cost about twice one whole-text scan (see docs/benchmarks.md for the trade-off measured at 128, 256 and 512).
    /// </summary>
    internal const int MinBatch = 256;

    private readonly TextScanner _scanner;
    private readonly PlaceholderFormatter _placeholders;
    private readonly bool _enforce;
    private readonly int _holdback;    // the short bound: held when no anchor is live, and kept as context
    private readonly int _batch;       // extra characters gathered before a rescan when the bound is long
    private readonly StringBuilder _output = new();
    private char[] _buffer = [];
    private int _emitted;      // [0, _emitted): context, already decided; [_emitted, _length): held
    private int _length;
    private int _consumed;     // characters of the text before _buffer[0]
    private long _pendingStart;    // the scanner's last pending start, in whole-text positions ...
    private long _pendingStable;   // ... valid while the text is shorter than this

    /// <param name="scanner">The scanner.</param>
    /// <param name="placeholders">The placeholder texts.</param>
    /// <param name="enforce"><see langword="false"/> to only record findings (monitor-only): the output is the input and a Block does not stop.</param>
    public StreamingRedactor(TextScanner scanner, PlaceholderFormatter placeholders, bool enforce = true)
    {
        _scanner = scanner;
        _placeholders = placeholders;
        _enforce = enforce;
        _holdback = Math.Max(scanner.ShortMatchLength, 0);
        _batch = _holdback <= 64 ? 0 : Math.Max(_holdback / 8, MinBatch);
    }

    /// <summary>Gets a value indicating whether a Block finding stopped the text; later input is ignored.</summary>
    public bool Blocked { get; private set; }

    /// <summary>Gets a value indicating whether any text has been emitted since the last <see cref="Complete"/> (or before the block).</summary>
    public bool EmittedAny { get; private set; }

    /// <summary>Gets the number of characters currently held back.</summary>
    public int HeldLength => _length - _emitted;

    /// <summary>Gets the most characters ever held back after a chunk was processed.</summary>
    public int MaxHeld { get; private set; }

    /// <summary>Gets the sum of the characters held back after each chunk, for the mean holdback.</summary>
    public long HeldSum { get; private set; }

    /// <summary>Gets the number of chunks processed.</summary>
    public long Chunks { get; private set; }

    /// <summary>Gets the findings settled so far, with indexes in the whole text (across <see cref="Complete"/> calls).</summary>
    public List<TextFinding> Findings { get; } = [];

    /// <summary>Gets the held text, unfiltered (for a fail-open switch to pass-through).</summary>
    public string HeldText => new(_buffer, _emitted, _length - _emitted);

    /// <summary>Filters a whole text at once: the result every chunking of it produces.</summary>
    public static string Filter(TextScanner scanner, PlaceholderFormatter placeholders, string text, out bool blocked, List<TextFinding>? findings)
    {
        var redactor = new StreamingRedactor(scanner, placeholders);
        string result = redactor.Complete(text);
        blocked = redactor.Blocked;
        findings?.AddRange(redactor.Findings);
        return result;
    }

    /// <summary>Appends <paramref name="chunk"/> and returns the text that can be emitted now (often empty).</summary>
    public string Append(ReadOnlySpan<char> chunk)
    {
        if (Blocked)
        {
            return string.Empty;
        }

        Add(chunk);
        string result = Process(final: false);
        Chunks++;
        HeldSum += HeldLength;
        MaxHeld = Math.Max(MaxHeld, HeldLength);
        return result;
    }

    /// <summary>Appends <paramref name="lastChunk"/>, settles everything held and returns the rest of the text; the next text starts fresh.</summary>
    public string Complete(ReadOnlySpan<char> lastChunk = default)
    {
        if (Blocked)
        {
            return string.Empty;
        }

        Add(lastChunk);
        string result = _length == _emitted ? string.Empty : Process(final: true);
        if (!Blocked)
        {
            _consumed += _length;
            _length = 0;
            _emitted = 0;
            _pendingStable = 0;
            EmittedAny = false;
        }

        return result;
    }

    private void Add(ReadOnlySpan<char> chunk)
    {
        if (_length + chunk.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_length + chunk.Length, Math.Max(2 * _buffer.Length, 4 * _holdback + 64)));
        }

        chunk.CopyTo(_buffer.AsSpan(_length));
        _length += chunk.Length;
    }

    private string Process(bool final)
    {
        int offset = _emitted;
        int limit = final ? _length : _length - _holdback;
        if (!final && limit > offset && limit - offset >= _batch)
        {
            limit = Math.Min(limit, PendingStart(offset));
        }

        if (limit <= offset || (!final && limit - offset < _batch))
        {
            return string.Empty;   // nothing (or too little, for a long bound) can settle yet: no scan
        }

        TextScan scan = _scanner.Scan(_buffer.AsSpan(0, _length));
        ReadOnlySpan<TextFinding> findings = scan.Findings;
        int pos = offset;
        int cut = limit;
        int blockAt = -1;
        _output.Clear();
        int i = 0;
        while (i < findings.Length)
        {
            TextFinding finding = findings[i];
            if (finding.End <= pos || finding.End <= offset)
            {
                i++;        // decided by an earlier pass or covered by a group of this one
                continue;
            }

            int start = Math.Max(finding.Index, pos);
            if (start >= limit)
            {
                break;
            }

            if (_enforce && finding.Action >= GuardrailAction.RequireApproval)
            {
                blockAt = start;
                break;
            }

            if (!_enforce || finding.Action != GuardrailAction.Redact)
            {
                i++;        // Flag and Allow change nothing; they are recorded below
                continue;
            }

            int end = finding.End;
            int j = i + 1;
            bool blockInside = false;
            while (j < findings.Length && findings[j].Index < end)
            {
                if (findings[j].Action == GuardrailAction.Redact)
                {
                    end = Math.Max(end, findings[j].End);
                }
                else if (findings[j].Action >= GuardrailAction.RequireApproval)
                {
                    blockInside = true;
                }

                j++;
            }

            if (blockInside)
            {
                blockAt = start;
                break;
            }

            if (!final && end > limit)
            {
                cut = start;    // the group may still grow: hold it back whole
                break;
            }

            _output.Append(_buffer, pos, start - pos).Append(_placeholders.Format(finding.Label));
            pos = end;
            i = j;
        }

        if (blockAt >= 0)
        {
            cut = blockAt;
            Blocked = true;
        }
        else if (!final && cut > pos && char.IsHighSurrogate(_buffer[cut - 1]))
        {
            cut--;
        }

        cut = Math.Max(cut, pos);
        if (_enforce)
        {
            _output.Append(_buffer, pos, cut - pos);
        }
        else
        {
            _output.Append(_buffer, offset, cut - offset);
        }

        Record(findings, offset, Blocked ? blockAt + 1 : cut);
        string result = _output.Length == 0 ? string.Empty : _output.ToString();
        EmittedAny |= result.Length > 0;
        Compact(cut);
        return result;
    }

    /// <summary>Asks the scanner where an unfinished match could start, or reuses its last answer while that stays valid.</summary>
    private int PendingStart(int offset)
    {
        long total = (long)_consumed + _length;
        if (total < _pendingStable)
        {
            return (int)(_pendingStart - _consumed);
        }

        int pending = _scanner.EarliestPendingStart(_buffer.AsSpan(0, _length), offset, out int stableBelow);
        _pendingStart = (long)_consumed + pending;
        _pendingStable = (long)_consumed + stableBelow;
        return pending;
    }

    private void Record(ReadOnlySpan<TextFinding> findings, int from, int to)
    {
        foreach (TextFinding finding in findings)
        {
            if (finding.Index >= from && finding.Index < to)
            {
                Findings.Add(finding.Shift(_consumed));
            }
        }
    }

    private void Compact(int emitted)
    {
        int keepFrom = Math.Max(0, emitted - _holdback);
        if (keepFrom > 0)
        {
            Array.Copy(_buffer, keepFrom, _buffer, 0, _length - keepFrom);
            _consumed += keepFrom;
            _length -= keepFrom;
            emitted -= keepFrom;
        }

        _emitted = emitted;
    }
}
