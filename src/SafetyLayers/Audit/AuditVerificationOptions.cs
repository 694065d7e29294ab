namespace SafetyLayers;

/// <summary>Represents the options of <see cref="AuditLogVerifier"/>.</summary>
public sealed class AuditVerificationOptions
{
    /// <summary>Gets or sets a value indicating whether the log must end with a checkpoint line (written when the sink closes).</summary>
    /// <value>The default is <see langword="false"/>: a log that ends without one (after a crash) verifies. Set it to detect truncation at the end.</value>
    public bool RequireCheckpoint { get; set; }

    /// <summary>Gets or sets the HMAC-SHA256 key the log was written with, if it was keyed.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public byte[]? HmacKey { get; set; }
}
