namespace SafetyLayers;

/// <summary>Represents the outcome of <see cref="AuditLogVerifier.Verify(IEnumerable{string}, AuditVerificationOptions?)"/>.</summary>
public sealed class AuditVerificationResult
{
    internal AuditVerificationResult()
    {
    }

    /// <summary>Gets a value indicating whether every line verified (a torn final line is a warning, not a failure).</summary>
    public bool IsIntact => Error is null;

    /// <summary>Gets the description of the first problem found, or <see langword="null"/> when the log is intact.</summary>
    public string? Error { get; internal set; }

    /// <summary>Gets the file in which the first problem was found.</summary>
    public string? FailedFile { get; internal set; }

    /// <summary>Gets the 1-based line number, within <see cref="FailedFile"/>, of the first problem (0 when intact).</summary>
    public long FailedLine { get; internal set; }

    /// <summary>Gets the warnings (a torn final line, a chain that starts after sequence 0).</summary>
    public IReadOnlyList<string> Warnings => WarningList;

    /// <summary>Gets the number of whole lines read before verification stopped.</summary>
    public long LineCount { get; internal set; }

    /// <summary>Gets the number of event lines that verified.</summary>
    public long EventCount { get; internal set; }

    /// <summary>Gets the number of checkpoint lines that verified.</summary>
    public long CheckpointCount { get; internal set; }

    /// <summary>Gets a value indicating whether the last file ends with a partial line (left by a crash), which was not verified.</summary>
    public bool HasTornTail { get; internal set; }

    /// <summary>Gets a value indicating whether the last whole line is a checkpoint.</summary>
    public bool EndsWithCheckpoint { get; internal set; }

    internal List<string> WarningList { get; } = [];
}
