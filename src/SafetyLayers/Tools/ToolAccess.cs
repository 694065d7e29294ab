namespace SafetyLayers;

/// <summary>What the tool policy lets a tool call do: run, run once approved, or never run.</summary>
public enum ToolAccess
{
    /// <summary>The call runs once its arguments pass their checks.</summary>
    Allow = 0,

    /// <summary>The call runs only once a person (through MEAI's approval flow) or an <see cref="IToolApprover"/> approves it.</summary>
    RequireApproval = 1,

    /// <summary>The call never runs; the model receives the denial as the function result.</summary>
    Deny = 2,
}
