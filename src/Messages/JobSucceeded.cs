namespace Platform.Messages;

/// <summary>A job ended successfully. Published once per job (at least once: match on <see cref="JobId"/> if you must not act twice).</summary>
public sealed record JobSucceeded
{
    /// <summary>The job; GET /api/v1/jobs/{JobId} returns its result.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The tenant that owns the job ("system" for scheduled maintenance).</summary>
    public required string TenantId { get; init; }

    /// <summary>The job type: ingest, answer, backup, backup-retention.</summary>
    public required string JobType { get; init; }

    /// <summary>The document of an ingest job; null for other types.</summary>
    public Guid? DocumentId { get; init; }

    /// <summary>From the command.</summary>
    public Guid? CorrelationId { get; init; }
}
