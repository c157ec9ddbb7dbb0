namespace Platform.Messages;

/// <summary>A job ended because someone cancelled it (POST /api/v1/jobs/{id}/cancel). Its partial work is kept or discarded by the job type.</summary>
public sealed record JobCancelled
{
    /// <summary>The cancelled job.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The tenant that owns the job ("system" for scheduled maintenance).</summary>
    public required string TenantId { get; init; }

    /// <summary>The job type: ingest, answer, backup, backup-retention.</summary>
    public required string JobType { get; init; }

    /// <summary>From the command.</summary>
    public Guid? CorrelationId { get; init; }
}
