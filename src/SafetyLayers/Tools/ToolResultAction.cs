namespace SafetyLayers;

/// <summary>What the tool layer does with a tool result in which the injection detectors found something.</summary>
/// <remarks>In every case the conversation is tainted, as if the tool were an <see cref="ToolLabels.UntrustedSource"/>.</remarks>
public enum ToolResultAction
{
    /// <summary>The model receives a notice instead of the result.</summary>
    Block = 0,

    /// <summary>The model receives the result with the matched text replaced by placeholders.</summary>
    Redact = 1,

    /// <summary>The model receives the result unchanged; the finding is recorded.</summary>
    Flag = 2,
}
