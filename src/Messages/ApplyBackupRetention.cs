namespace Platform.Messages;

/// <summary>Delete backups that the retention rules no longer keep.</summary>
public sealed record ApplyBackupRetention
{
    /// <summary>The job that tracks the clean-up.</summary>
    public required Guid JobId { get; init; }

    /// <summary>When true, only list what would be deleted.</summary>
    public bool DryRun { get; init; }

    /// <summary>Echoed on every event this command causes.</summary>
    public Guid? CorrelationId { get; init; }
}
