using System.ComponentModel.DataAnnotations;

namespace Platform.Jobs;

/// <summary>Section <c>Jobs</c>: how jobs are dispatched, leased and recovered.</summary>
public sealed class JobOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// Commands of one tenant and job type on the broker at once (default 50). Further jobs are recorded and held,
    /// then sent as earlier ones finish, so one tenant's burst cannot queue ahead of everyone else.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxInFlightPerTenant { get; set; } = 50;

    /// <summary>
    /// A running job whose worker has not beaten for this long is taken to be lost and is queued again
    /// (default 30 s; workers beat every 2 s).
    /// </summary>
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts after which a job whose worker keeps dying fails with <c>worker_lost</c> (default 8).</summary>
    [Range(1, 1000)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>How often held and unsent jobs are dispatched (default 1 s).</summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a stopping process waits for in-flight jobs before handing them back (default 30 s).</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(30);
}
