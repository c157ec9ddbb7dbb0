namespace Platform.Messages;

/// <summary>A backup was restored into a scratch database and checked; <see cref="Passed"/> tells the outcome.</summary>
public sealed record BackupVerified
{
    /// <summary>The verification job.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The backup that was checked.</summary>
    public required Guid BackupId { get; init; }

    /// <summary>True when checksum, restore and row counts all matched.</summary>
    public required bool Passed { get; init; }

    /// <summary>How long the restore into the scratch database took, in milliseconds.</summary>
    public long RestoreMs { get; init; }

    /// <summary>Why it did not pass, when it did not.</summary>
    public string? Problem { get; init; }

    /// <summary>From the command.</summary>
    public Guid? CorrelationId { get; init; }
}
