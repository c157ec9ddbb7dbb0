namespace Platform.Jobs;

/// <summary>
/// The job engine's fixed timings, in one place because they depend on each other (the sweeper's grace covers a
/// send and its record; a lost worker is three missed beats). What operators tune is in <see cref="JobOptions"/>.
/// </summary>
public static class JobTimings
{
    /// <summary>How long one command's send may take before it is left to the sweeper.</summary>
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long after its sends a batch's send record waits. A claim records the send itself, so by then the commands
    /// a worker already took need no write of their own: one row version (and its index entries) fewer for each job
    /// that starts within this time. Jobs that wait in the queue longer still get the record, which the sweeper needs.
    /// Two seconds covers most queue waits of a busy worker (bench/throughput: p50 0.5 s, p90 1.5 s); 200 ms covered
    /// about half. The jobs stay the dispatcher's until recorded, a process that stops records at once, and a tenant's
    /// in-flight count takes the unrecorded ones into account (<see cref="JobDispatcher"/>). The price: a process that
    /// dies loses its records of the last two seconds, and the sweeper sends those jobs again (claims drop duplicates).
    /// </summary>
    public static readonly TimeSpan RecordDelay = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Lets the submitting process send a job first; only older unsent jobs are the sweeper's. As long as a send may
    /// take and its record waits, so another replica rarely sends a job its dispatcher is still sending; when it
    /// does, the worker's claim drops the duplicate.
    /// </summary>
    public static readonly TimeSpan SweeperGrace = SendTimeout + RecordDelay;

    /// <summary>How often the sweeper looks for unsent jobs and expired leases.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(5);

    /// <summary>How often a running job renews its lease (<see cref="JobOptions.LeaseTimeout"/> is when it expires).</summary>
    public static readonly TimeSpan LeaseHeartbeat = TimeSpan.FromSeconds(2);

    /// <summary>How often a process records itself in <c>workers</c>.</summary>
    public static readonly TimeSpan WorkerBeat = TimeSpan.FromSeconds(5);

    /// <summary>A process that has not beaten for this long is shown as lost (three missed beats).</summary>
    public static readonly TimeSpan WorkerLostAfter = WorkerBeat * 3;

    /// <summary>Rows of processes gone for longer than this are removed.</summary>
    public static readonly TimeSpan WorkerForgetAfter = TimeSpan.FromDays(1);

    /// <summary>How often the backlog gauges read the job table.</summary>
    public static readonly TimeSpan BacklogRefresh = TimeSpan.FromSeconds(15);

    /// <summary>Longest a publish or send from a consumer may wait for the broker.</summary>
    public static readonly TimeSpan BrokerCallTimeout = TimeSpan.FromSeconds(30);
}
