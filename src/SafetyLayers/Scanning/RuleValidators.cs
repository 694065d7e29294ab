using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;

namespace SafetyLayers.Scanning;

/// <summary>The named validators that confirm a regex match (checksums, ranges, entropy).</summary>
/// <remarks>Every validator is a pure function of the matched characters; they allocate nothing except <c>ipv6</c> on a hit.</remarks>
internal static class RuleValidators
{
    private static readonly FrozenDictionary<string, Func<ReadOnlySpan<char>, bool>> s_validators = new Dictionary<string, Func<ReadOnlySpan<char>, bool>>
    {
        ["luhn"] = static s => Luhn(s),
        ["payment-card"] = static s => PaymentCard(s),
        ["iban"] = static s => Iban(s),
        ["us-ssn"] = static s => UsSsn(s),
        ["uk-nino"] = static s => UkNino(s),
        ["ipv4"] = static s => IPv4(s),
        ["ipv6"] = static s => IPv6(s),
        ["phone"] = static s => Phone(s),
        ["phone-national"] = static s => PhoneNational(s),
        ["secret-value"] = static s => SecretValue(s),
        ["date"] = static s => Date(s),
        ["not-placeholder"] = static s => !IsPlaceholder(s),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, int> s_ibanLengths = new Dictionary<string, int>
    {
        ["AD"] = 24, ["AE"] = 23, ["AL"] = 28, ["AT"] = 20, ["AZ"] = 28, ["BA"] = 20, ["BE"] = 16, ["BG"] = 22, ["BH"] = 22,
        ["BI"] = 27, ["BR"] = 29, ["BY"] = 28, ["CH"] = 21, ["CR"] = 22, ["CY"] = 28, ["CZ"] = 24, ["DE"] = 22, ["DJ"] = 27,
        ["DK"] = 18, ["DO"] = 28, ["EE"] = 20, ["EG"] = 29, ["ES"] = 24, ["FI"] = 18, ["FK"] = 18, ["FO"] = 18, ["FR"] = 27,
        ["GB"] = 22, ["GE"] = 22, ["GI"] = 23, ["GL"] = 18, ["GR"] = 27, ["GT"] = 28, ["HN"] = 28, ["HR"] = 21, ["HU"] = 28,
        ["IE"] = 22, ["IL"] = 23, ["IQ"] = 23, ["IS"] = 26, ["IT"] = 27, ["JO"] = 30, ["KW"] = 30, ["KZ"] = 20, ["LB"] = 28,
        ["LC"] = 32, ["LI"] = 21, ["LT"] = 20, ["LU"] = 20, ["LV"] = 21, ["LY"] = 25, ["MC"] = 27, ["MD"] = 24, ["ME"] = 22,
        ["MK"] = 19, ["MN"] = 20, ["MR"] = 27, ["MT"] = 31, ["MU"] = 30, ["NI"] = 28, ["NL"] = 18, ["NO"] = 15, ["OM"] = 23,
        ["PK"] = 24, ["PL"] = 28, ["PS"] = 29, ["PT"] = 25, ["QA"] = 29, ["RO"] = 24, ["RS"] = 22, ["RU"] = 33, ["SA"] = 24,
        ["SC"] = 31, ["SD"] = 18, ["SE"] = 24, ["SI"] = 19, ["SK"] = 24, ["SM"] = 27, ["SO"] = 23, ["ST"] = 25, ["SV"] = 28,
        ["TL"] = 23, ["TN"] = 24, ["TR"] = 26, ["UA"] = 29, ["VA"] = 22, ["VG"] = 24, ["XK"] = 20, ["YE"] = 30,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Gets the names of the validators.</summary>
    public static IEnumerable<string> Names => s_validators.Keys;

    /// <summary>Returns whether <paramref name="name"/> names a validator.</summary>
    public static bool IsKnown(string name) => s_validators.ContainsKey(name);

    /// <summary>Gets the validator called <paramref name="name"/>.</summary>
    public static Func<ReadOnlySpan<char>, bool> Get(string name) => s_validators[name];

    /// <summary>
    /// Gets a test that returns <see langword="false"/> only for texts no part of which the validator called
    /// <paramref name="name"/> accepts, or <see langword="null"/> when the validator has none.
    /// </summary>
    /// <remarks>
    /// A rule whose finding is a group of its match (<c>(?&lt;value&gt;...)</c>) needs <see cref="System.Text.RegularExpressions.Regex.Match(string)"/>
    /// to find the group, which allocates; prose matched by a credential rule ("client requirements") is rejected by this
    /// test on the whole match first, without the group.
    /// </remarks>
    public static Func<ReadOnlySpan<char>, bool>? GetContainerTest(string name) => name switch
    {
        "secret-value" => static s => s.Length >= 8 && (s.ContainsAnyInRange('0', '9') || (s.ContainsAnyInRange('a', 'z') && s.ContainsAnyInRange('A', 'Z'))),
        _ => null,
    };

    /// <summary>The Luhn (mod 10) checksum over the digits of <paramref name="text"/>; other characters are ignored.</summary>
    public static bool Luhn(ReadOnlySpan<char> text)
    {
        int sum = 0;
        int digits = 0;
        for (int i = text.Length - 1; i >= 0; i--)
        {
            char c = text[i];
            if (!char.IsAsciiDigit(c))
            {
                continue;
            }

            int d = c - '0';
            if ((digits & 1) == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            digits++;
        }

        return digits > 1 && sum % 10 == 0;
    }

    /// <summary>A payment card number: 12–19 digits, a known issuer prefix, the Luhn checksum, and consistent separators.</summary>
    public static bool PaymentCard(ReadOnlySpan<char> text)
    {
        Span<char> digits = stackalloc char[19];
        int n = 0;
        char separator = '\0';
        foreach (char c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                if (n == 19)
                {
                    return false;
                }

                digits[n++] = c;
            }
            else if (separator == '\0')
            {
                separator = c;
            }
            else if (c != separator)
            {
                return false;
            }
        }

        if (n < 12 || AllSame(digits[..n]) || !Luhn(digits[..n]))
        {
            return false;
        }

        ReadOnlySpan<char> d = digits[..n];
        int p2 = Prefix(d, 2);
        int p3 = Prefix(d, 3);
        int p4 = Prefix(d, 4);
        return d[0] switch
        {
            '4' => n is 13 or 16 or 19,                                                      // Visa
            '5' => (p2 is >= 51 and <= 55 && n == 16) || (p2 is 50 or (>= 56 and <= 59) && n >= 12), // Mastercard, Maestro
            '2' => (p4 is >= 2221 and <= 2720 && n == 16) || (p4 is >= 2200 and <= 2204 && n >= 16), // Mastercard 2-series, Mir
            '3' => (p2 is 34 or 37 && n == 15) || (p3 is >= 300 and <= 305 or 309 || p2 is 36 or 38 or 39) && n is >= 14 and <= 19
                   || (p4 is >= 3528 and <= 3589 && n >= 16),                                // Amex, Diners, JCB
            '6' => n >= 12,                                                                  // Discover, UnionPay, Maestro, RuPay, Troy
            '1' => n == 15,                                                                  // UATP
            '8' => p2 is 81 or 82 && n == 16,                                                // RuPay
            _ => false,
        };
    }

    /// <summary>An IBAN: a known country, that country's length, and the ISO 7064 mod-97 check.</summary>
    public static bool Iban(ReadOnlySpan<char> text)
    {
        Span<char> iban = stackalloc char[34];
        int n = 0;
        foreach (char c in text)
        {
            if (c is ' ' or '-')
            {
                continue;
            }

            if (!char.IsAsciiLetterOrDigit(c) || n == 34)
            {
                return false;
            }

            iban[n++] = char.ToUpperInvariant(c);
        }

        if (n < 15 || !s_ibanLengths.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(iban[..2], out int length) || length != n
            || !char.IsAsciiDigit(iban[2]) || !char.IsAsciiDigit(iban[3]))
        {
            return false;
        }

        int remainder = 0;
        for (int k = 0; k < n; k++)
        {
            char c = iban[(k + 4) % n];
            if (char.IsAsciiDigit(c))
            {
                remainder = ((remainder * 10) + (c - '0')) % 97;
            }
            else
            {
                int value = c - 'A' + 10;
                remainder = ((remainder * 100) + value) % 97;
            }
        }

        return remainder == 1;
    }

    /// <summary>A US social security number: area not 000, 666 or 9xx; group not 00; serial not 0000; not all one digit; consistent separators.</summary>
    public static bool UsSsn(ReadOnlySpan<char> text)
    {
        Span<char> d = stackalloc char[9];
        int n = 0;
        char separator = '\0';
        int separators = 0;
        foreach (char c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                if (n == 9)
                {
                    return false;
                }

                d[n++] = c;
            }
            else
            {
                separators++;
                if (separator != '\0' && c != separator)
                {
                    return false;
                }

                separator = c;
            }
        }

        if (n != 9 || separators == 1 || AllSame(d))
        {
            return false;
        }

        int area = Prefix(d, 3);
        int group = ((d[3] - '0') * 10) + (d[4] - '0');
        int serial = int.Parse(d[5..], provider: System.Globalization.CultureInfo.InvariantCulture);
        return area is not (0 or 666) && area < 900 && group != 0 && serial != 0
            && !d.SequenceEqual("123456789") && !d.SequenceEqual("078051120") && !d.SequenceEqual("219099999");   // advertised sample numbers
    }

    /// <summary>A UK National Insurance number: valid prefix letters (not D F I Q U V, second not O, not BG GB KN NK NT TN ZZ) and suffix A–D.</summary>
    public static bool UkNino(ReadOnlySpan<char> text)
    {
        Span<char> c = stackalloc char[9];
        int n = 0;
        foreach (char ch in text)
        {
            if (ch == ' ')
            {
                continue;
            }

            if (n == 9)
            {
                return false;
            }

            c[n++] = char.ToUpperInvariant(ch);
        }

        if (n != 9 || !char.IsAsciiLetterUpper(c[0]) || !char.IsAsciiLetterUpper(c[1]) || !char.IsAsciiLetterUpper(c[8]))
        {
            return false;
        }

        for (int i = 2; i < 8; i++)
        {
            if (!char.IsAsciiDigit(c[i]))
            {
                return false;
            }
        }

        ReadOnlySpan<char> prefix = c[..2];
        return "DFIQUV".IndexOf(c[0]) < 0 && "DFIQUVO".IndexOf(c[1]) < 0
            && !prefix.SequenceEqual("BG") && !prefix.SequenceEqual("GB") && !prefix.SequenceEqual("KN") && !prefix.SequenceEqual("NK")
            && !prefix.SequenceEqual("NT") && !prefix.SequenceEqual("TN") && !prefix.SequenceEqual("ZZ")
            && c[8] is >= 'A' and <= 'D';
    }

    /// <summary>A dotted IPv4 address with four octets of at most 255 and no leading zeros.</summary>
    public static bool IPv4(ReadOnlySpan<char> text)
    {
        int parts = 0;
        foreach (Range r in text.Split('.'))
        {
            ReadOnlySpan<char> part = text[r];
            if (part.Length is 0 or > 3 || (part.Length > 1 && part[0] == '0') || !int.TryParse(part, System.Globalization.NumberStyles.None, null, out int v) || v > 255)
            {
                return false;
            }

            parts++;
        }

        return parts == 4;
    }

    /// <summary>An IPv6 address (with <c>::</c> compression or an embedded IPv4 tail) that has at least one digit and four hex digits, or the loopback <c>::1</c>.</summary>
    public static bool IPv6(ReadOnlySpan<char> text)
    {
        if (text.SequenceEqual("::1"))
        {
            return true;   // loopback
        }

        int hex = 0;
        bool digit = false;
        foreach (char c in text)
        {
            if (char.IsAsciiHexDigit(c))
            {
                hex++;
                digit |= char.IsAsciiDigit(c);
            }
        }

        return hex >= 4 && digit && text.Contains(':') && IPAddress.TryParse(text, out IPAddress? address)
            && address.AddressFamily == AddressFamily.InterNetworkV6;
    }

    /// <summary>A telephone number: 7 to 15 digits (the E.164 maximum), not all one digit.</summary>
    public static bool Phone(ReadOnlySpan<char> text)
    {
        int digits = 0;
        char first = '\0';
        bool same = true;
        foreach (char c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                if (digits == 0)
                {
                    first = c;
                }
                else if (c != first)
                {
                    same = false;
                }

                digits++;
            }
        }

        return digits is >= 7 and <= 15 && !same;
    }

    /// <summary>A national number with a trunk prefix: 10 to 12 digits with separators, or exactly 11 digits (0 then 5–9) without any.</summary>
    public static bool PhoneNational(ReadOnlySpan<char> text)
    {
        int digits = 0;
        int separators = 0;
        foreach (char c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else
            {
                separators++;
            }
        }

        // Without separators only an 11-digit mobile-style number (0 then 5-9) counts: bare 10- and 11-digit strings
        // starting with 01-04 are as often tax, account or id numbers.
        return Phone(text) && (separators == 0 ? digits == 11 && text.Length > 1 && text[1] is >= '5' and <= '9' : digits is >= 10 and <= 12);
    }

    /// <summary>A credential value: at least 8 characters, not a placeholder, with a digit or mixed case, and at least 2.5 bits of entropy per character (3 for values of 24+).</summary>
    public static bool SecretValue(ReadOnlySpan<char> text)
    {
        if (text.Length < 8 || IsPlaceholder(text))
        {
            return false;
        }


        bool digit = text.ContainsAnyInRange('0', '9');
        bool mixedCase = text.ContainsAnyInRange('a', 'z') && text.ContainsAnyInRange('A', 'Z');
        if (!digit && !(mixedCase && text.Length >= 16))
        {
            return false;   // prose ("author = Jonathan") has neither digits nor long mixed-case runs
        }

        double entropy = ShannonEntropy(text);
        return entropy >= (text.Length >= 24 ? 3.0 : 2.5);
    }

    /// <summary>A calendar date with a plausible year (1900–2099), month and day, in d/m/y, m/d/y or y-m-d order.</summary>
    public static bool Date(ReadOnlySpan<char> text)
    {
        Span<int> parts = stackalloc int[3];
        int n = 0;
        foreach (Range r in text.SplitAny("/.- "))
        {
            if (text[r].IsEmpty)
            {
                continue;
            }

            if (n == 3 || !int.TryParse(text[r], System.Globalization.NumberStyles.None, null, out parts[n]))
            {
                return false;
            }

            n++;
        }

        if (n != 3)
        {
            return false;
        }

        (int a, int b, int c) = (parts[0], parts[1], parts[2]);
        if (a >= 1900 && a <= 2099)
        {
            return b is >= 1 and <= 12 && c is >= 1 and <= 31;
        }

        if (c < 100)
        {
            c += c > 30 ? 1900 : 2000;
        }

        return c is >= 1900 and <= 2099 && ((a is >= 1 and <= 31 && b is >= 1 and <= 12) || (a is >= 1 and <= 12 && b is >= 1 and <= 31));
    }

    /// <summary>Returns whether a value looks like a placeholder: mostly one repeated character, a masking run, or a counting sequence.</summary>
    public static bool IsPlaceholder(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return true;
        }

        Span<int> counts = stackalloc int[128];
        int max = 0;
        int run = 1;
        int maxRun = 1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = char.ToLowerInvariant(text[i]);
            if (c < 128)
            {
                max = Math.Max(max, ++counts[c]);
            }

            if (i > 0 && char.ToLowerInvariant(text[i - 1]) == c)
            {
                maxRun = Math.Max(maxRun, ++run);
            }
            else
            {
                run = 1;
            }
        }

        return max * 2 > text.Length || maxRun >= Math.Max(8, text.Length / 3)
            || text.Contains("xxxx", StringComparison.OrdinalIgnoreCase) || text.Contains("****", StringComparison.Ordinal)
            || text.Contains("12345678", StringComparison.Ordinal) || text.Contains("abcdef", StringComparison.OrdinalIgnoreCase)
            || text.Contains("your", StringComparison.OrdinalIgnoreCase) || text.Contains("example", StringComparison.OrdinalIgnoreCase)
            || text.Contains("passw", StringComparison.OrdinalIgnoreCase) || text.Contains("here", StringComparison.OrdinalIgnoreCase) || text.Contains("changeme", StringComparison.OrdinalIgnoreCase)
            || text.ContainsAny('<', '>') || text.Contains("${", StringComparison.Ordinal) || text.Contains("{{", StringComparison.Ordinal);
    }

    /// <summary>Returns the Shannon entropy of the characters of <paramref name="text"/>, in bits per character.</summary>
    public static double ShannonEntropy(ReadOnlySpan<char> text)
    {
        Span<int> counts = stackalloc int[128];
        int other = 0;
        foreach (char c in text)
        {
            if (c < 128)
            {
                counts[c]++;
            }
            else
            {
                other++;
            }
        }

        double entropy = 0;
        foreach (int count in counts)
        {
            if (count > 0)
            {
                double p = (double)count / text.Length;
                entropy -= p * Math.Log2(p);
            }
        }

        if (other > 0)
        {
            double p = (double)other / text.Length;
            entropy -= p * Math.Log2(p);
        }

        return entropy;
    }

    private static bool AllSame(ReadOnlySpan<char> digits) => digits.Length > 0 && !digits.ContainsAnyExcept(digits[0]);

    private static int Prefix(ReadOnlySpan<char> digits, int length)
    {
        if (digits.Length < length)
        {
            return -1;
        }

        int value = 0;
        for (int i = 0; i < length; i++)
        {
            value = (value * 10) + (digits[i] - '0');
        }

        return value;
    }
}
