namespace SafetyLayers;

/// <summary>The argument rules of the tools whose names match one pattern; configured fluently through <see cref="ToolPolicyOptions.Constrain"/>.</summary>
public sealed class ToolArgumentPolicy
{
    private readonly List<string> _required = [];
    private readonly List<string> _forbidden = [];
    private readonly List<ToolArgumentConstraint> _constraints = [];

    internal ToolArgumentPolicy(string toolPattern) => ToolPattern = toolPattern;

    /// <summary>Gets the tool name pattern these rules apply to.</summary>
    public string ToolPattern { get; }

    internal IReadOnlyList<string> Required => _required;

    internal IReadOnlyList<string> Forbidden => _forbidden;

    internal IReadOnlyList<ToolArgumentConstraint> Constraints => _constraints;

    /// <summary>Requires each of <paramref name="names"/> to be present and not <see langword="null"/>.</summary>
    /// <param name="names">The argument names.</param>
    /// <returns>This instance.</returns>
    /// <exception cref="ArgumentException">A name is empty.</exception>
    public ToolArgumentPolicy Require(params string[] names)
    {
        _required.AddRange(Validate(names));
        return this;
    }

    /// <summary>Denies any call that carries one of <paramref name="names"/>, whatever its value.</summary>
    /// <param name="names">The argument names.</param>
    /// <returns>This instance.</returns>
    /// <exception cref="ArgumentException">A name is empty.</exception>
    public ToolArgumentPolicy Forbid(params string[] names)
    {
        _forbidden.AddRange(Validate(names));
        return this;
    }

    /// <summary>Adds checks on the argument <paramref name="name"/>.</summary>
    /// <param name="name">The argument name.</param>
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
