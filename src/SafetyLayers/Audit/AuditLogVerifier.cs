using System.Globalization;
using System.Security.Cryptography;

namespace SafetyLayers;

/// <summary>Verifies JSON Lines audit logs written by <see cref="JsonLinesAuditSink"/>: hash chain, sequence, segments and checkpoints.</summary>
/// <remarks>
/// Files are put in segment order (by the <c>seg</c> number of their first line), then read line by line. The first
/// problem stops verification and is reported with its file and 1-based line number: a changed line (hash mismatch), a
/// missing line (sequence gap), an inserted, duplicated or reordered line (sequence or hash), a missing segment, a segment
/// that ends without its rotation checkpoint, or, when <see cref="AuditVerificationOptions.RequireCheckpoint"/> is set, a log
/// that does not end with a checkpoint (truncation). A partial final line in the last file is a crash's torn tail: it is
/// reported as a warning and the log still verifies.
/// </remarks>
public static class AuditLogVerifier
{
    /// <summary>Verifies one log made of one or more segment files.</summary>
    /// <param name="paths">The files; their order does not matter.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The result; <see cref="AuditVerificationResult.IsIntact"/> tells whether the log verified.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="paths"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="paths"/> is empty.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public static AuditVerificationResult Verify(IEnumerable<string> paths, AuditVerificationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        options ??= new AuditVerificationOptions();
        List<string> files = OrderBySegment([.. paths]);
        if (files.Count == 0)
        {
            throw new ArgumentException("At least one file is required.", nameof(paths));
        }

        var result = new AuditVerificationResult();
        using var state = new ChainState(options.HmacKey);
        for (int i = 0; i < files.Count && result.IsIntact; i++)
        {
            VerifyFile(files[i], isLast: i == files.Count - 1, isFirst: i == 0, state, result, options);
        }

        return result;
    }

    /// <summary>Verifies one log made of one or more segment files.</summary>
    /// <param name="paths">The files; their order does not matter.</param>
    /// <returns>The result; <see cref="AuditVerificationResult.IsIntact"/> tells whether the log verified.</returns>
    public static AuditVerificationResult Verify(params string[] paths) => Verify(paths, null);

    private static List<string> OrderBySegment(List<string> files)
    {
        var keyed = new List<(string Path, int Segment)>(files.Count);
        foreach (string file in files)
        {
            int segment = -1;
            if (File.Exists(file))
            {
                using var reader = new LineReader(file);
                if (reader.TryReadLine(out ReadOnlySpan<byte> line, out bool complete) && complete
                    && AuditLogFormat.TryReadHeader(line, out AuditLogFormat.LineHeader header) && header.Type == 'o')
                {
                    segment = header.Segment;
                }
            }

            if (segment < 0)
            {
                return files;   // Keep the caller's order; the unreadable file is reported where it stands.
            }

            keyed.Add((file, segment));
        }

        return [.. keyed.OrderBy(k => k.Segment).Select(k => k.Path)];
    }

    private static void VerifyFile(string path, bool isLast, bool isFirst, ChainState state, AuditVerificationResult result, AuditVerificationOptions options)
    {
        using var reader = new LineReader(path);
        long lineNumber = 0;
        char lastType = '\0';
        Span<byte> computed = stackalloc byte[AuditLogFormat.HashSize];
        Span<byte> computedHex = stackalloc byte[AuditLogFormat.HexSize];
        while (reader.TryReadLine(out ReadOnlySpan<byte> line, out bool complete))
        {
            if (!complete)
            {
                if (isLast)
                {
                    result.HasTornTail = true;
                    result.WarningList.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{path}: line {lineNumber + 1}: torn final line ({line.Length} bytes without a newline), left by a crash; not verified"));
                    break;
                }

                Fail(result, path, lineNumber + 1, "partial line in a segment that is not the last one");
                return;
            }

            lineNumber++;
            result.LineCount++;
            if (!AuditLogFormat.TrySplit(line, out ReadOnlySpan<byte> body, out ReadOnlySpan<byte> hex)
                || !AuditLogFormat.TryReadHeader(line, out AuditLogFormat.LineHeader header))
            {
                Fail(result, path, lineNumber, "not a valid audit line (malformed JSON or missing hash)");
                return;
            }

            if (lineNumber == 1 && header.Type != 'o')
            {
                Fail(result, path, lineNumber, isFirst ? "the log does not start with an open line (missing lines at the start)"
                    : "the segment does not start with an open line (missing lines at the start)");
                return;
            }

            if (header.Type == 'o')
            {
                bool keyed = header.Algorithm == AuditLogFormat.HmacSha256;
                if (keyed && options.HmacKey is null)
                {
                    Fail(result, path, lineNumber, "the log is keyed (hmac-sha256); the HMAC key is required to verify it");
                    return;
                }

                if (!keyed && header.Algorithm != AuditLogFormat.Sha256)
                {
                    Fail(result, path, lineNumber, "unknown hash algorithm");
                    return;
                }

                if (lineNumber == 1 && state.Segment >= 0 && header.Segment != state.Segment + 1)
                {
                    Fail(result, path, lineNumber, string.Create(CultureInfo.InvariantCulture,
                        $"segment {header.Segment} follows segment {state.Segment}: a segment file is missing"));
                    return;
                }

                if (lineNumber == 1)
                {
                    state.Segment = header.Segment;
                }
            }

            if (state.ExpectedSeq < 0)
            {
                // The first line of the whole log: sequence 0 chains to 32 zero bytes; a later start means earlier
                // segments were not given (for example removed by retention), so the chain is trusted from here.
                if (header.Seq != 0)
                {
                    result.WarningList.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{path}: line 1: the chain starts at sequence {header.Seq}; earlier lines were not given and are not verified"));
                    AuditLogFormat.TryParseHex(hex, state.PreviousHash);
                    state.ExpectedSeq = header.Seq + 1;
                    Count(result, header.Type);
                    lastType = header.Type;
                    continue;
                }

                state.ExpectedSeq = 0;
            }

            if (header.Seq > state.ExpectedSeq)
            {
                Fail(result, path, lineNumber, string.Create(CultureInfo.InvariantCulture,
                    $"missing line(s): expected sequence {state.ExpectedSeq}, found {header.Seq}"));
                return;
            }

            if (header.Seq < state.ExpectedSeq)
            {
                Fail(result, path, lineNumber, string.Create(CultureInfo.InvariantCulture,
                    $"reordered, duplicated or inserted line: expected sequence {state.ExpectedSeq}, found {header.Seq}"));
                return;
            }

            AuditLogFormat.HashLine(state.Hash, state.PreviousHash, body, computed);
            AuditLogFormat.WriteHex(computed, computedHex);
            if (!computedHex.SequenceEqual(hex))
            {
                Fail(result, path, lineNumber, "hash mismatch: the line was changed, or a line before it was inserted, removed or reordered");
                return;
            }

            computed.CopyTo(state.PreviousHash);
            state.ExpectedSeq++;
            Count(result, header.Type);
            lastType = header.Type;
        }

        if (lineNumber == 0 && !result.HasTornTail)
        {
            if (!isLast)
            {
                Fail(result, path, 1, "empty segment");
                return;
            }

            result.WarningList.Add($"{path}: the file is empty");
        }

        result.EndsWithCheckpoint = lastType == 'c';
        if (!isLast && lastType != 'c')
        {
            Fail(result, path, lineNumber + 1, "the segment ends without its rotation checkpoint: truncated");
            return;
        }

        if (isLast && options.RequireCheckpoint && (lastType != 'c' || result.HasTornTail))
        {
            Fail(result, path, lineNumber + 1, "the log does not end with a checkpoint: truncated, or the writer did not close");
        }
    }

    private static void Count(AuditVerificationResult result, char type)
    {
        if (type == 'e')
        {
            result.EventCount++;
        }
        else if (type == 'c')
        {
            result.CheckpointCount++;
        }
    }

    private static void Fail(AuditVerificationResult result, string path, long line, string message)
    {
        result.FailedFile = path;
        result.FailedLine = line;
        result.Error = string.Create(CultureInfo.InvariantCulture, $"{path}: line {line}: {message}");
    }

    private sealed class ChainState(byte[]? key) : IDisposable
    {
        public IncrementalHash Hash { get; } = AuditLogFormat.CreateHash(key);

        public byte[] PreviousHash { get; } = new byte[AuditLogFormat.HashSize];

        public long ExpectedSeq { get; set; } = -1;

        public int Segment { get; set; } = -1;

        public void Dispose() => Hash.Dispose();
    }

    /// <summary>Reads a file line by line as bytes, through one reusable buffer.</summary>
    private sealed class LineReader(string path) : IDisposable
    {
        private readonly FileStream _stream = new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
        private byte[] _buffer = new byte[256 * 1024];
        private int _start;
        private int _end;
        private bool _eof;

        public bool TryReadLine(out ReadOnlySpan<byte> line, out bool complete)
        {
            while (true)
            {
                int newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    line = _buffer.AsSpan(_start, newline);
                    _start += newline + 1;
                    complete = true;
                    return true;
                }

                if (_eof)
                {
                    complete = false;
                    line = _buffer.AsSpan(_start, _end - _start);
                    _start = _end;
                    return line.Length > 0;
                }

                if (_start > 0)
                {
                    _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                    _end -= _start;
                    _start = 0;
                }

                if (_end == _buffer.Length)
                {
                    Array.Resize(ref _buffer, _buffer.Length * 2);
                }

                int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
                if (read == 0)
                {
                    _eof = true;
                }

                _end += read;
            }
        }

        public void Dispose() => _stream.Dispose();
    }
}
