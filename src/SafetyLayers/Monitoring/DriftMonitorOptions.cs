namespace SafetyLayers;

/// <summary>Represents the options of a <see cref="DriftMonitor"/>.</summary>
public sealed class DriftMonitorOptions
{
    /// <summary>Gets or sets the width of one counting bucket; the monitor evaluates once per bucket.</summary>
    /// <value>The default is 10 seconds.</value>
    public TimeSpan BucketDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the length of the current window, compared with the baseline.</summary>
    /// <value>The default is 10 minutes.</value>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets the length of the baseline window, which ends where the current window starts.</summary>
    /// <value>The default is 1 hour.</value>
    public TimeSpan BaselineWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets the fewest trials (requests or tool calls) the current window needs before it is tested.</summary>
    /// <value>The default is 100.</value>
    public int MinimumCurrentTrials { get; set; } = 100;

    /// <summary>Gets or sets the fewest trials the baseline window needs before it is trusted.</summary>
    /// <value>The default is 300.</value>
    public int MinimumBaselineTrials { get; set; } = 300;

    /// <summary>Gets or sets the false-alarm probability of one test of one signal (its one-sided p-value threshold).</summary>
    /// <value>The default is 1e-6: with one test per bucket, a steady signal raises a false alarm about once in 116 days of 10-second buckets.</value>
    public double Significance { get; set; } = 1e-6;

    /// <summary>Gets or sets the smallest absolute rate increase worth an alert, however significant.</summary>
    /// <value>The default is 0.01 (one percentage point).</value>
    public double MinimumIncrease { get; set; } = 0.01;

    /// <summary>Gets or sets a callback that receives every alert.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public Action<DriftAlert>? OnAlert { get; set; }

    internal void Validate()
    {
        if (BucketDuration <= TimeSpan.Zero || Window < BucketDuration || BaselineWindow < BucketDuration)
        {
            throw new InvalidOperationException("DriftMonitorOptions: BucketDuration must be positive and no longer than Window and BaselineWindow.");
        }

        if (Significance is <= 0 or >= 1 || MinimumIncrease < 0 || MinimumCurrentTrials < 1 || MinimumBaselineTrials < 1)
        {
            throw new InvalidOperationException("DriftMonitorOptions: Significance must be in (0, 1); minimum counts must be positive; MinimumIncrease must not be negative.");
        }
    }
}
