namespace SafetyLayers;

/// <summary>The rules of a policy that apply to one tool name, resolved once and cached.</summary>
internal sealed class ToolRules
{
    public required string ToolName { get; init; }

    public required ToolAccess Permission { get; init; }

    /// <summary>Gets the pattern of the deciding permission rule; <see langword="null"/> when none matched.</summary>
    public string? PermissionPattern { get; init; }

    public required ToolLabels Labels { get; init; }

    public required ArgumentPath[] Required { get; init; }

    public required ArgumentPath[] Forbidden { get; init; }

    public required ToolArgumentConstraint[] Constraints { get; init; }

    public required ToolBudget[] Budgets { get; init; }

    /// <summary>Gets a value indicating whether any argument rule applies.</summary>
    public bool HasArgumentRules => Required.Length > 0 || Forbidden.Length > 0 || Constraints.Length > 0;
}
