namespace SafetyLayers;

/// <summary>
/// Decides lexically whether a path stays under a root: separators unified, <c>.</c> and <c>..</c> resolved, absolute paths taken as
/// they are. The file system is never touched, so symbolic links inside the root are the tool's own responsibility.
/// </summary>
internal static class PathUnderRoot
{
    [ThreadStatic]
    private static char[]? t_buffer;

    /// <summary>Canonicalizes an absolute root; throws for a relative one.</summary>
    public static string CanonicalRoot(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        if (!IsAbsolute(root, out _))
        {
            throw new ArgumentException($"The root '{root}' must be an absolute path.", nameof(root));
        }

        char[] buffer = new char[root.Length + 1];
        int length = Canonicalize(root, buffer, 0, out bool ok);
        if (!ok)
        {
            throw new ArgumentException($"The root '{root}' is not a valid path.", nameof(root));
        }

        return new string(buffer, 0, length);
    }

    /// <summary>Returns <see langword="null"/> when <paramref name="path"/> resolves under <paramref name="canonicalRoot"/>, else the reason.</summary>
    public static string? Check(string canonicalRoot, ReadOnlySpan<char> path)
    {
        if (path.IsEmpty)
        {
            return "is an empty path";
        }

        foreach (char c in path)
        {
            if (char.IsControl(c))
            {
                return "contains a control character";
            }
        }

        if (path.IndexOf('%') >= 0 && (path.Contains("%2e", StringComparison.OrdinalIgnoreCase) || path.Contains("%2f", StringComparison.OrdinalIgnoreCase)
            || path.Contains("%5c", StringComparison.OrdinalIgnoreCase)))
        {
            return "contains a percent-encoded dot or separator";
        }

        if (path[0] == '~')
        {
            return "starts with '~'";
        }

        char[] buffer = t_buffer ??= new char[512];
        int needed = canonicalRoot.Length + path.Length + 2;
        if (buffer.Length < needed)
        {
            t_buffer = buffer = new char[Math.Max(needed, buffer.Length * 2)];
        }

        int length = 0;
        if (!IsAbsolute(path, out _))
        {
            canonicalRoot.CopyTo(buffer);
            length = canonicalRoot.Length;
        }

        length = Canonicalize(path, buffer, length, out bool ok);
        if (!ok)
        {
            return "climbs above the file system root";
        }

        ReadOnlySpan<char> full = buffer.AsSpan(0, length);
        StringComparison comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        bool under = full.StartsWith(canonicalRoot, comparison)
            && (full.Length == canonicalRoot.Length || canonicalRoot.Length == 0 || canonicalRoot[^1] == '/' || full[canonicalRoot.Length] == '/');
        return under ? null : "resolves outside the allowed root";
    }

    /// <summary>Appends the segments of <paramref name="path"/> to <paramref name="buffer"/>[..<paramref name="start"/>] as <c>/segment</c>s.</summary>
    private static int Canonicalize(ReadOnlySpan<char> path, Span<char> buffer, int start, out bool ok)
    {
        int length = start;
        int floor = 0;
        if (IsAbsolute(path, out int prefix))
        {
            length = 0;
            if (prefix == 2)
            {
                // A drive letter: keep "X:" as the floor.
                buffer[0] = char.ToUpperInvariant(path[0]);
                buffer[1] = ':';
                length = floor = 2;
            }

            path = path[prefix..];
        }
        else if (start >= 2 && buffer[1] == ':')
        {
            floor = 2;
        }

        ok = true;
        while (!path.IsEmpty)
        {
            int end = path.IndexOfAny('/', '\\');
            ReadOnlySpan<char> segment = end < 0 ? path : path[..end];
            path = end < 0 ? default : path[(end + 1)..];
            if (segment.IsEmpty || segment is ".")
            {
                continue;
            }

            if (segment is "..")
            {
                if (length <= floor)
                {
                    ok = false;
                    return length;
                }

                length = buffer[..length].LastIndexOf('/');
                length = Math.Max(length, floor);
                continue;
            }

            buffer[length++] = '/';
            segment.CopyTo(buffer[length..]);
            length += segment.Length;
        }

        return length;
    }

    private static bool IsAbsolute(ReadOnlySpan<char> path, out int prefix)
    {
        if (path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':')
        {
            prefix = 2;
            return true;
        }

        prefix = 0;
        return path.Length > 0 && path[0] is '/' or '\\';
    }
}
