namespace SafetyLayers;

/// <summary>The argument rules of the tools whose names match one pattern; configured fluently through <see cref="ToolPolicyOptions.Constrain"/>.</summary>
public sealed class ToolArgumentPolicy
{
    private readonly List<ArgumentPath> _required = [];
    private readonly List<ArgumentPath> _forbidden = [];
    private readonly List<ToolArgumentConstraint> _constraints = [];

    internal ToolArgumentPolicy(string toolPattern) => ToolPattern = toolPattern;

    /// <summary>Gets the tool name pattern these rules apply to.</summary>
    public string ToolPattern { get; }

    internal IReadOnlyList<ArgumentPath> Required => _required;

    internal IReadOnlyList<ArgumentPath> Forbidden => _forbidden;

    internal IReadOnlyList<ToolArgumentConstraint> Constraints => _constraints;

    /// <summary>Requires each of <paramref name="names"/> to be present and not <see langword="null"/>.</summary>
    /// <param name="names">The argument names, or paths into them (<c>recipient.email</c>, <c>items[*].id</c>).</param>
    /// <returns>This instance.</returns>
    /// <exception cref="ArgumentException">A name is empty.</exception>
    public ToolArgumentPolicy Require(params string[] names)
    {
        _required.AddRange(Validate(names).Select(ArgumentPath.Parse));
        return this;
    }

    /// <summary>Denies any call that carries one of <paramref name="names"/>, whatever its value.</summary>
    /// <param name="names">The argument names, or paths into them (<c>headers.Authorization</c>).</param>
    /// <returns>This instance.</returns>
    /// <exception cref="ArgumentException">A name is empty.</exception>
    public ToolArgumentPolicy Forbid(params string[] names)
    {
        _forbidden.AddRange(Validate(names).Select(ArgumentPath.Parse));
        return this;
    }

    /// <summary>Adds checks on the argument <paramref name="name"/>, or on every value a path into the arguments leads to.</summary>
    /// <param name="name">The argument name, or a path: properties separated by dots, <c>[*]</c> for every element of an array
    /// (<c>options.url</c>, <c>attachments[*].path</c>). A value the path does not reach passes (use <see cref="Require"/>).</param>
    /// <param name="configure">Configures the checks.</param>
    /// <returns>This instance.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is <see langword="null"/>.</exception>
    public ToolArgumentPolicy Argument(string name, Action<ToolArgumentConstraint> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        var constraint = new ToolArgumentConstraint(name);
        configure(constraint);
        _constraints.Add(constraint);
        return this;
    }

    private static string[] Validate(string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (string name in names)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name, nameof(names));
        }

        return names;
    }
}
