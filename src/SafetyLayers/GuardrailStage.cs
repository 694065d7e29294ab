namespace SafetyLayers;

/// <summary>Specifies which layer of a guarded pipeline reached a verdict.</summary>
public enum GuardrailStage
{
    /// <summary>The input guard, which checks the messages a request sends to the model.</summary>
    Input = 0,

    /// <summary>The output filter, which checks what the model returns before the caller sees it.</summary>
    Output = 1,
}
