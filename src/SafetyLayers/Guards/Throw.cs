using System.Diagnostics.CodeAnalysis;

namespace SafetyLayers;

/// <summary>Throw helpers that keep the hot methods small.</summary>
internal static class Throw
{
    [DoesNotReturn]
    public static void InvalidOperation(string message) => throw new InvalidOperationException(message);

    [DoesNotReturn]
    public static void InvalidOptions(IReadOnlyList<string> errors) =>
        throw new InvalidOperationException("The guardrail options are invalid: " + string.Join(" ", errors));
}
