namespace SafetyLayers;

/// <summary>The exception that is thrown when a rule pack is invalid; it names the file, the rule and the field at fault.</summary>
public sealed class RulePackException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="RulePackException"/> class.</summary>
    public RulePackException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RulePackException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public RulePackException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RulePackException"/> class with a message and the exception behind it.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception behind this one.</param>
    public RulePackException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RulePackException"/> class for a problem at a known place.</summary>
    /// <param name="source">The file name or stream description of the pack.</param>
    /// <param name="ruleId">The id of the rule at fault, or <see langword="null"/> for a pack-level problem.</param>
    /// <param name="field">The JSON field at fault, or <see langword="null"/>.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="innerException">The exception behind this one, or <see langword="null"/>.</param>
    public RulePackException(string source, string? ruleId, string? field, string problem, Exception? innerException = null)
        : base(Format(source, ruleId, field, problem), innerException)
    {
        FileName = source;
        RuleId = ruleId;
        Field = field;
    }

    /// <summary>Gets the file name or stream description of the pack.</summary>
    public string? FileName { get; }

    /// <summary>Gets the id of the rule at fault, or <see langword="null"/> for a pack-level problem.</summary>
    public string? RuleId { get; }

    /// <summary>Gets the JSON field at fault, or <see langword="null"/>.</summary>
    public string? Field { get; }

    private static string Format(string source, string? ruleId, string? field, string problem)
    {
        string where = source;
        if (ruleId is not null)
        {
            where += $": rule {ruleId}";
        }

        if (field is not null)
        {
            where += $": field '{field}'";
        }

        return $"{where}: {problem}";
    }
}
