using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SafetyLayers;

/// <summary>The checks one argument of a tool call must pass; configured fluently, each method returning this instance.</summary>
/// <remarks>
/// The checks run on the real <c>AIFunctionArguments</c> before the tool is invoked; a call whose argument fails any of them is denied
/// and the tool is not invoked. A missing argument passes (use <see cref="ToolArgumentPolicy.Require(string[])"/> to demand it); an
/// argument that is present but <see langword="null"/> fails every check but <see cref="OfType(ToolArgumentType)"/>-less ones.
/// </remarks>
public sealed class ToolArgumentConstraint
{
    private static readonly string[] s_httpsOnly = ["https"];

    internal ToolArgumentConstraint(string name)
    {
        Name = name;
        Path = ArgumentPath.Parse(name);
    }

    /// <summary>Gets the name of the argument, or a path into it (<c>options.url</c>, <c>attachments[*].path</c>).</summary>
    public string Name { get; }

    internal ArgumentPath Path { get; }

    internal ToolArgumentType? Type { get; private set; }

    internal double Minimum { get; private set; } = double.NaN;

    internal double Maximum { get; private set; } = double.NaN;

    internal int MinimumLength { get; private set; } = -1;

    internal int MaximumLength { get; private set; } = -1;

    internal string[]? AllowedValues { get; private set; }

    internal Regex? Pattern { get; private set; }

    internal string? Root { get; private set; }

    internal bool IsUrl { get; private set; }

    internal ToolGlob[] Hosts { get; private set; } = [];

    internal string[] UrlSchemes { get; private set; } = s_httpsOnly;

    internal bool PrivateAddressesAllowed { get; private set; }

    /// <summary>Requires the argument to have the JSON type <paramref name="type"/> (an <see cref="ToolArgumentType.Integer"/> is also a number).</summary>
    /// <param name="type">The type.</param>
    /// <returns>This instance.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not defined.</exception>
    public ToolArgumentConstraint OfType(ToolArgumentType type)
    {
        if (!Enum.IsDefined(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown argument type.");
        }

        Type = type;
        return this;
    }

    /// <summary>Requires a number between <paramref name="minimum"/> and <paramref name="maximum"/>, both included.</summary>
    /// <param name="minimum">The smallest allowed value.</param>
    /// <param name="maximum">The largest allowed value.</param>
    /// <returns>This instance.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A bound is NaN, or <paramref name="minimum"/> exceeds <paramref name="maximum"/>.</exception>
    public ToolArgumentConstraint Range(double minimum, double maximum)
    {
        if (double.IsNaN(minimum) || double.IsNaN(maximum) || minimum > maximum)
        {
            throw new ArgumentOutOfRangeException(nameof(minimum), $"The range [{minimum}, {maximum}] of argument '{Name}' is empty or not a number.");
        }

        Minimum = minimum;
        Maximum = maximum;
        return this;
    }

    /// <summary>Requires a string (in UTF-16 characters) or an array (in elements) of a length between the bounds, both included.</summary>
    /// <param name="minimum">The smallest allowed length.</param>
    /// <param name="maximum">The largest allowed length.</param>
    /// <returns>This instance.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A bound is negative, or <paramref name="minimum"/> exceeds <paramref name="maximum"/>.</exception>
    public ToolArgumentConstraint Length(int minimum, int maximum)
    {
        if (minimum < 0 || minimum > maximum)
        {
            throw new ArgumentOutOfRangeException(nameof(minimum), $"The length range [{minimum}, {maximum}] of argument '{Name}' is invalid.");
        }

        MinimumLength = minimum;
        MaximumLength = maximum;
        return this;
    }

    /// <summary>Requires the argument to be one of <paramref name="values"/> (ordinal comparison; numbers compare by their JSON text).</summary>
    /// <param name="values">The allowed values.</param>
    /// <returns>This instance.</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public ToolArgumentConstraint OneOf(params string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0)
        {
            throw new ArgumentException($"Argument '{Name}' needs at least one allowed value.", nameof(values));
        }

        AllowedValues = [.. values];
        return this;
    }

    /// <summary>Requires a string that matches <paramref name="pattern"/> (anchor it with <c>^…$</c> to match the whole value).</summary>
    /// <param name="pattern">A regular expression, run with <see cref="RegexOptions.NonBacktracking"/> (linear time, no ReDoS).</param>
    /// <returns>This instance.</returns>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> is not a valid regular expression.</exception>
    public ToolArgumentConstraint Matches([StringSyntax(StringSyntaxAttribute.Regex)] string pattern)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        try
        {
            Pattern = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"The pattern of argument '{Name}' is invalid: {ex.Message}", nameof(pattern), ex);
        }

        return this;
    }

    /// <summary>Requires a file path that, once <c>.</c> and <c>..</c> are resolved, lies under <paramref name="root"/>.</summary>
    /// <param name="root">An absolute directory path.</param>
    /// <returns>This instance.</returns>
    /// <exception cref="ArgumentException"><paramref name="root"/> is not an absolute path.</exception>
    /// <remarks>
    /// Relative paths resolve against <paramref name="root"/>. Paths with control characters, percent-encoded dots or separators, or a
    /// leading <c>~</c> are denied. The check is lexical: symbolic links inside the root are not followed.
    /// </remarks>
    public ToolArgumentConstraint PathUnder(string root)
    {
        Root = PathUnderRoot.CanonicalRoot(root);
        return this;
    }

    /// <summary>Requires an absolute URL with an allowed scheme (by default <c>https</c>) whose host matches one of <paramref name="allowedHosts"/>.</summary>
    /// <param name="allowedHosts">Host patterns such as <c>api.example.com</c> or <c>*.example.com</c>; none allows every public host.</param>
    /// <returns>This instance.</returns>
    /// <remarks>
    /// User information (<c>https://good.com@evil.com</c>), backslashes and percent-encoding in the host, ambiguous numeric hosts, and
    /// (unless <see cref="AllowPrivateAddresses"/>) localhost and IP literals in private, loopback, link-local or multicast ranges are denied.
    /// </remarks>
    public ToolArgumentConstraint Url(params string[] allowedHosts)
    {
        ArgumentNullException.ThrowIfNull(allowedHosts);
        IsUrl = true;
        Hosts = [.. allowedHosts.Select(h => new ToolGlob(h, ignoreCase: true))];
        return this;
    }

    /// <summary>Sets the URL schemes <see cref="Url(string[])"/> allows.</summary>
    /// <param name="schemes">The schemes, such as <c>https</c> and <c>http</c>.</param>
    /// <returns>This instance.</returns>
    /// <exception cref="ArgumentException"><paramref name="schemes"/> is empty.</exception>
    public ToolArgumentConstraint Schemes(params string[] schemes)
    {
        ArgumentNullException.ThrowIfNull(schemes);
        if (schemes.Length == 0)
        {
            throw new ArgumentException($"Argument '{Name}' needs at least one URL scheme.", nameof(schemes));
        }

        IsUrl = true;
        UrlSchemes = [.. schemes];
        return this;
    }

    /// <summary>Lets <see cref="Url(string[])"/> accept localhost and private, loopback and link-local addresses.</summary>
    /// <returns>This instance.</returns>
    public ToolArgumentConstraint AllowPrivateAddresses()
    {
        IsUrl = true;
        PrivateAddressesAllowed = true;
        return this;
    }

    /// <summary>Checks a value that is present; returns <see langword="null"/> when it passes, else the reason (never the value itself).</summary>
    internal string? Check(object? value)
    {
        bool hasType = ToolArgumentValue.TryGetType(value, out ToolArgumentType actual);
        if (!hasType)
        {
            return Type is null && double.IsNaN(Minimum) && MinimumLength < 0 && AllowedValues is null && Pattern is null && Root is null && !IsUrl
                ? null
                : Because("is null");
        }

        if (Type is { } expected && actual != expected && !(expected == ToolArgumentType.Number && actual == ToolArgumentType.Integer))
        {
            return Because($"must be of type {expected}, not {actual}");
        }

        if (!double.IsNaN(Minimum))
        {
            if (!ToolArgumentValue.TryGetNumber(value, out double number))
            {
                return Because("must be a number");
            }

            if (number < Minimum || number > Maximum)
            {
                return Because(string.Create(CultureInfo.InvariantCulture, $"must be between {Minimum} and {Maximum}"));
            }
        }

        if (MinimumLength >= 0)
        {
            int length = ToolArgumentValue.TryGetText(value, out ReadOnlySpan<char> text) ? text.Length : ToolArgumentValue.GetArrayLength(value);
            if (length < MinimumLength || length > MaximumLength)
            {
                return Because(length < 0 ? "must be a string or an array" : $"must have a length between {MinimumLength} and {MaximumLength}");
            }
        }

        return AllowedValues is null && Pattern is null && Root is null && !IsUrl ? null : CheckText(value);
    }

    private string? CheckText(object? value)
    {
        if (!ToolArgumentValue.TryGetText(value, out ReadOnlySpan<char> text))
        {
            if (AllowedValues is not null && ToolArgumentValue.TryGetNumber(value, out double number))
            {
                string formatted = number.ToString(CultureInfo.InvariantCulture);
                return Array.IndexOf(AllowedValues, formatted) >= 0 ? null : Because("is not one of the allowed values");
            }

            return Because("must be a string");
        }

        if (AllowedValues is not null)
        {
            bool found = false;
            foreach (string allowed in AllowedValues)
            {
                found |= text.SequenceEqual(allowed);
            }

            if (!found)
            {
                return Because("is not one of the allowed values");
            }
        }

        if (Pattern is not null && !Pattern.IsMatch(text))
        {
            return Because("does not match the required pattern");
        }

        if (Root is not null && PathUnderRoot.Check(Root, text) is { } pathProblem)
        {
            return Because(pathProblem);
        }

        return IsUrl && UrlCheck.Check(text, UrlSchemes, Hosts, PrivateAddressesAllowed) is { } urlProblem ? Because(urlProblem) : null;
    }

    private string Because(string problem) => $"argument '{Name}' {problem}";
}
