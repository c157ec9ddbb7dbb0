namespace Platform.Data;

/// <summary>A row of <c>backups</c>: one database dump in the backup store, with its manifest.</summary>
public sealed class Backup
{
    public Guid Id { get; init; }
    public Guid JobId { get; init; }
    public string Status { get; init; } = BackupStatus.Running;
    public string Provider { get; init; } = "";
    public string BlobKey { get; init; } = "";
    public long SizeBytes { get; init; }
    public string? Sha256 { get; init; }
    public string? Manifest { get; init; }
    public string? ErrorMessage { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public DateTimeOffset? VerifiedAt { get; init; }
    public string? VerifyStatus { get; init; }
    public long? RestoreMs { get; init; }
    public string? VerifyError { get; init; }
    /// <summary>When the off-site copy was written; null when there is none.</summary>
    public DateTimeOffset? OffsiteAt { get; init; }
    /// <summary>When retention removed the local copy (the record stays while an off-site copy exists).</summary>
    public DateTimeOffset? LocalDeletedAt { get; init; }
    public bool Encrypted { get; init; }

    public bool HasLocalCopy => Status == BackupStatus.Succeeded && LocalDeletedAt is null;
}

public static class VerifyStatus
{
    public const string Passed = "passed";
    public const string Failed = "failed";
}

public static class BackupStatus
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}
