namespace SafetyLayers;

/// <summary>Represents a statistically significant increase of a monitored rate over its baseline.</summary>
public sealed class DriftAlert
{
    /// <summary>Gets the signal that drifted: <c>refusal_rate</c>, <c>block_rate</c>, <c>redaction_rate</c>, <c>tool_denial_rate</c> or <c>tool_share:NAME</c>.</summary>
    public required string Signal { get; init; }

    /// <summary>Gets when the alert was raised.</summary>
    public DateTimeOffset DetectedAt { get; init; }

    /// <summary>Gets the rate in the baseline window.</summary>
    public double BaselineRate { get; init; }

    /// <summary>Gets the rate in the current window.</summary>
    public double CurrentRate { get; init; }

    /// <summary>Gets the number of trials (requests or tool calls) in the baseline window.</summary>
    public long BaselineTrials { get; init; }

    /// <summary>Gets the number of trials (requests or tool calls) in the current window.</summary>
    public long CurrentTrials { get; init; }

    /// <summary>Gets the number of hits (refusals, blocks, ...) in the current window.</summary>
    public long CurrentHits { get; init; }

    /// <summary>Gets the one-sided p-value of the current hits under the baseline rate.</summary>
    public double PValue { get; init; }
}
