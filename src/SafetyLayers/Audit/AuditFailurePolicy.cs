namespace SafetyLayers;

/// <summary>Specifies what happens to requests while an audit sink cannot write.</summary>
public enum AuditFailurePolicy
{
    /// <summary>Fail closed: requests are refused with <see cref="AuditUnavailableException"/> until the sink recovers.</summary>
    Block = 0,

    /// <summary>Requests continue; the fault is logged, counted and reported through <see cref="AuditOptions.OnSinkFault"/>, and events the sink cannot keep are counted as lost.</summary>
    ContinueWithAlert = 1,
}
