namespace Platform.Messages;

/// <summary>Dump the system-of-record database to the backup store.</summary>
public sealed record BackupDatabase
{
    /// <summary>The job that tracks the backup.</summary>
    public required Guid JobId { get; init; }

    /// <summary>Echoed on every event this command causes.</summary>
    public Guid? CorrelationId { get; init; }
}
