namespace Platform.Messages;

/// <summary>
/// Run a probe: a job that does no work, so its trip through the whole pipeline (API, broker, a worker, the job
/// store) shows whether and how fast jobs move. Any worker process consumes it.
/// </summary>
public sealed record RunProbe
{
    /// <summary>The job that tracks the probe.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The tenant that asked for the probe.</summary>
    public required string TenantId { get; init; }

    /// <summary>Echoed on every event this command causes.</summary>
    public Guid? CorrelationId { get; init; }
}
