namespace Platform.Messages;

/// <summary>A job ended in failure. It will not be retried unless an operator retries it.</summary>
public sealed record JobFailed
{
    /// <summary>The failed job.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The tenant that owns the job ("system" for scheduled maintenance).</summary>
    public required string TenantId { get; init; }

    /// <summary>The job type: ingest, answer, backup, backup-retention.</summary>
    public required string JobType { get; init; }

    /// <summary>A stable, machine-readable reason such as corrupt_file, unsupported_type, timeout.</summary>
    public required string ReasonCode { get; init; }

    /// <summary>A message for people.</summary>
    public required string Message { get; init; }

    /// <summary>From the command.</summary>
    public Guid? CorrelationId { get; init; }
}
