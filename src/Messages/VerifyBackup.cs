namespace Platform.Messages;

/// <summary>Prove a backup restores: check its checksum, restore it into a scratch database, compare row counts.</summary>
public sealed record VerifyBackup
{
    /// <summary>The job that tracks the verification.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The backup to verify; when absent, the newest successful backup.</summary>
    public Guid? BackupId { get; init; }

    /// <summary>Echoed on every event this command causes.</summary>
    public Guid? CorrelationId { get; init; }
}
