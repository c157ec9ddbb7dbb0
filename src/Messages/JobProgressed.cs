namespace Platform.Messages;

/// <summary>A running job recorded progress. Informative: events may arrive out of order; only the outcome events end a job.</summary>
public sealed record JobProgressed
{
    /// <summary>The running job.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The tenant that owns the job ("system" for scheduled maintenance).</summary>
    public required string TenantId { get; init; }

    /// <summary>The job type: ingest, answer, backup, backup-retention.</summary>
    public required string JobType { get; init; }

    /// <summary>Progress from 0 to 100.</summary>
    public required int Percent { get; init; }

    /// <summary>From the command.</summary>
    public Guid? CorrelationId { get; init; }
}
