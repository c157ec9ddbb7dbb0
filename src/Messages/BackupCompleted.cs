namespace Platform.Messages;

/// <summary>A database dump was written to the backup store and recorded.</summary>
public sealed record BackupCompleted
{
    /// <summary>The backup job, which has succeeded.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The backup record.</summary>
    public required Guid BackupId { get; init; }

    /// <summary>Size of the stored file.</summary>
    public required long SizeBytes { get; init; }

    /// <summary>SHA-256 of the stored file, lower-case hex.</summary>
    public required string Sha256 { get; init; }

    /// <summary>From the command.</summary>
    public Guid? CorrelationId { get; init; }
}
