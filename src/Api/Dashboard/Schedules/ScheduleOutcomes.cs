using Platform.Data;
using Quartz;

namespace Platform.Api.Dashboard.Schedules;

/// <summary>
/// Records how each schedule's last firing ended (Quartz keeps the last fire time, not its outcome), in the database
/// (table <c>schedule_outcomes</c>): the process that fires the schedules writes it, and every replica's dashboard
/// reads it, after restarts too.
/// </summary>
public sealed class ScheduleOutcomes(Db db, ILogger<ScheduleOutcomes> logger) : IJobListener
{
    public string Name => "platform-dashboard";

    /// <summary>The last outcome of every schedule that has fired.</summary>
    public async Task<IReadOnlyDictionary<JobKey, ScheduleOutcome>> AllAsync(CancellationToken ct)
    {
        var rows = await db.QueryAsync<OutcomeRow>(
            "SELECT job_group AS JobGroup, job_name AS JobName, fired_at AS FiredAt, outcome AS Outcome, error AS Error, run_ms AS RunMs FROM schedule_outcomes",
            ct: ct);
        return rows.ToDictionary(r => new JobKey(r.JobName, r.JobGroup), r => new ScheduleOutcome(r.FiredAt, r.Outcome, r.Error, r.RunMs));
    }

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken ct = default) =>
        new(RecordAsync(context, new ScheduleOutcome(context.FireTimeUtc, "running", null, null)));

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken ct = default) =>
        new(RecordAsync(context, new ScheduleOutcome(context.FireTimeUtc, "vetoed", null, null)));

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken ct = default) =>
        new(RecordAsync(context, new ScheduleOutcome(context.FireTimeUtc, jobException is null ? "succeeded" : "failed",
            jobException?.InnerException?.Message ?? jobException?.Message, context.JobRunTime.TotalMilliseconds)));

    // Never throws: Quartz does not run a job whose listener failed, and the outcome only informs the dashboard.
    private async Task RecordAsync(IJobExecutionContext context, ScheduleOutcome outcome)
    {
        var key = context.JobDetail.Key;
        try
        {
            await db.ExecuteAsync(
                """
                INSERT INTO schedule_outcomes (job_group, job_name, fired_at, outcome, error, run_ms)
                VALUES (@group, @name, @FiredAt, @Outcome, @Error, @RunMs)
                ON CONFLICT (job_group, job_name) DO UPDATE
                SET fired_at = excluded.fired_at, outcome = excluded.outcome, error = excluded.error, run_ms = excluded.run_ms
                """,
                new { group = key.Group, name = key.Name, outcome.FiredAt, outcome.Outcome, outcome.Error, outcome.RunMs });
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Outcome {Outcome} of schedule {Schedule} not recorded for the dashboard", outcome.Outcome, key);
        }
    }

    private sealed class OutcomeRow
    {
        public string JobGroup { get; init; } = "";

        public string JobName { get; init; } = "";

        public DateTimeOffset FiredAt { get; init; }

        public string Outcome { get; init; } = "";

        public string? Error { get; init; }

        public double? RunMs { get; init; }
    }
}

public sealed record ScheduleOutcome(DateTimeOffset FiredAt, string Outcome, string? Error, double? RunMs);

/// <summary>Registers <see cref="ScheduleOutcomes"/> with the scheduler before it fires anything.</summary>
public sealed class ScheduleOutcomesRegistration(IServiceProvider services, ScheduleOutcomes outcomes) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        if (services.GetService<ISchedulerFactory>() is { } factory)
        {
            var scheduler = await factory.GetScheduler(ct);
            scheduler.ListenerManager.AddJobListener(outcomes, [GroupMatcher<JobKey>.AnyGroup()]);
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
