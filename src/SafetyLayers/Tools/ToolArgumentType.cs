namespace SafetyLayers;

/// <summary>The JSON type an argument of a tool call must have.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The members are JSON Schema's type names.")]
public enum ToolArgumentType
{
    /// <summary>A string.</summary>
    String = 0,

    /// <summary>A number, whole or not.</summary>
    Number = 1,

    /// <summary>A whole number.</summary>
    Integer = 2,

    /// <summary>A Boolean.</summary>
    Boolean = 3,

    /// <summary>An object.</summary>
    Object = 4,

    /// <summary>An array.</summary>
    Array = 5,
}
