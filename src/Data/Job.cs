namespace Platform.Data;

/// <summary>A row of <c>jobs</c>: one unit of work a user or a schedule asked for, and how it ended.</summary>
public sealed class Job
{
    public Guid Id { get; init; }
    public string TenantId { get; init; } = "";
    public string Type { get; init; } = "";
    public string Status { get; init; } = JobStatus.Queued;
    public int Progress { get; init; }
    public int Attempts { get; init; }
    public string? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }
    public string? Input { get; init; }
    public string? Result { get; init; }
    public Guid? DocumentId { get; init; }
    public Guid? CorrelationId { get; init; }
    public bool CancelRequested { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? DispatchedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public DateTimeOffset? HeartbeatAt { get; init; }

    public bool IsFinished => JobStatus.IsFinal(Status);
}

public static class JobStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Queued, Running, Succeeded, Failed, Cancelled];

    public static bool IsFinal(string status) => status is Succeeded or Failed or Cancelled;
}

public static class JobTypes
{
    public const string Ingest = "ingest";
    public const string Answer = "answer";
    public const string Backup = "backup";
    public const string BackupRetention = "backup-retention";
    public const string BackupVerify = "backup-verify";
    public const string Probe = "probe";
}

/// <summary>The tenant that owns scheduled maintenance jobs (backups, retention).</summary>
public static class SystemTenant
{
    public const string Id = "system";
}
