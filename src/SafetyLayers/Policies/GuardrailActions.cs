namespace SafetyLayers;

/// <summary>Provides helpers for combining <see cref="GuardrailAction"/> values.</summary>
public static class GuardrailActions
{
    /// <summary>Returns the stronger of two actions.</summary>
    /// <param name="first">The first action.</param>
    /// <param name="second">The second action.</param>
    /// <returns><paramref name="first"/> or <paramref name="second"/>, whichever is stronger.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An action is not a defined <see cref="GuardrailAction"/> value.</exception>
    public static GuardrailAction Strongest(GuardrailAction first, GuardrailAction second)
    {
        ThrowIfUndefined(first, nameof(first));
        ThrowIfUndefined(second, nameof(second));
        return first >= second ? first : second;
    }

    private static void ThrowIfUndefined(GuardrailAction action, string paramName)
    {
        if ((uint)action > (uint)GuardrailAction.Block)
        {
            throw new ArgumentOutOfRangeException(paramName, action, "The value is not a defined GuardrailAction.");
        }
    }
}
