using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace SafetyLayers;

/// <summary>Checks a URL argument: an allowed scheme, no user info, no ambiguous host, and an allowed host or public address.</summary>
internal static class UrlCheck
{
    private static readonly SearchValues<char> s_numericHost = SearchValues.Create("0123456789abcdefABCDEFxX.");

    /// <summary>Returns <see langword="null"/> when the URL passes, else the reason (without the URL itself).</summary>
    public static string? Check(ReadOnlySpan<char> url, string[] schemes, ToolGlob[] hosts, bool allowPrivate)
    {
        foreach (char c in url)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                return "contains whitespace or a control character";
            }
        }

        int colon = url.IndexOf(':');
        if (colon <= 0 || !url[colon..].StartsWith("://"))
        {
            return "is not an absolute URL";
        }

        ReadOnlySpan<char> scheme = url[..colon];
        bool schemeAllowed = false;
        foreach (string allowed in schemes)
        {
            schemeAllowed |= scheme.Equals(allowed, StringComparison.OrdinalIgnoreCase);
        }

        if (!schemeAllowed)
        {
            return "uses a scheme that is not allowed";
        }

        ReadOnlySpan<char> rest = url[(colon + 3)..];
        int authorityEnd = rest.IndexOfAny('/', '?', '#');
        ReadOnlySpan<char> authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        if (authority.Contains('\\'))
        {
            return "has a backslash in its host part";
        }

        if (authority.Contains('@'))
        {
            return "carries user information ('@') before the host";
        }

        if (authority.Contains('%'))
        {
            return "has a percent-encoded host";
        }

        ReadOnlySpan<char> host;
        ReadOnlySpan<char> port;
        if (authority.StartsWith('['))
        {
            int close = authority.IndexOf(']');
            if (close < 0)
            {
                return "has an unterminated IPv6 host";
            }

            host = authority[1..close];
            port = authority[(close + 1)..];
        }
        else
        {
            int portStart = authority.IndexOf(':');
            host = portStart < 0 ? authority : authority[..portStart];
            port = portStart < 0 ? default : authority[portStart..];
        }

        if (!port.IsEmpty && (port[0] != ':' || port.Length == 1 || port[1..].ContainsAnyExceptInRange('0', '9')))
        {
            return "has an invalid port";
        }

        if (host.EndsWith('.'))
        {
            host = host[..^1];
        }

        if (host.IsEmpty)
        {
            return "has no host";
        }

        if (LooksNumeric(host))
        {
            if (!IPAddress.TryParse(host, out IPAddress? address))
            {
                return "has an ambiguous numeric host";
            }

            if (!allowPrivate && IsPrivate(address))
            {
                return "points at a private, loopback or link-local address";
            }
        }
        else if (!allowPrivate && (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)))
        {
            return "points at localhost";
        }

        if (hosts.Length == 0)
        {
            return null;
        }

        foreach (ToolGlob glob in hosts)
        {
            if (glob.IsMatch(host))
            {
                return null;
            }
        }

        return "points at a host that is not allowed";
    }

    /// <summary>Gets whether an address is loopback, private, link-local, carrier-grade NAT, unspecified or multicast.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return b[0] is 0 or 10 or 127 || b[0] >= 224
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127);
        }

        return IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6Any) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal
            || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
    }

    private static bool LooksNumeric(ReadOnlySpan<char> host)
    {
        if (host.Contains(':'))
        {
            return true;
        }

        // Dotted, decimal, octal and hexadecimal IPv4 forms ("127.1", "2130706433", "0x7f.0.0.1"): digits, dots and hex after 0x.
        return char.IsAsciiDigit(host[0]) && !host.ContainsAnyExcept(s_numericHost);
    }
}
