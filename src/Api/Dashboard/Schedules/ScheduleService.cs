using Platform.Api.Scheduling;
using Quartz;

namespace Platform.Api.Dashboard.Schedules;

/// <summary>
/// The recurring jobs as the Quartz scheduler holds them, and the operator's actions on them. Changes apply to the
/// running scheduler only: at the next start the schedules come from configuration (<c>Scheduler:*Cron</c>) again.
/// </summary>
public sealed class ScheduleService(IServiceProvider services, ScheduleOutcomes outcomes)
{
    public bool Available => services.GetService<ISchedulerFactory>() is not null;

    private async Task<IScheduler> SchedulerAsync(CancellationToken ct) =>
        await (services.GetService<ISchedulerFactory>() ?? throw new ScheduleException("The scheduler is not enabled in this process."))
            .GetScheduler(ct);

    public async Task<IReadOnlyList<ScheduleView>> ListAsync(CancellationToken ct)
    {
        if (!Available)
        {
            return [];
        }
        var scheduler = await SchedulerAsync(ct);
        var recorded = await outcomes.AllAsync(ct);
        var views = new List<ScheduleView>();
        // One row per job: "trigger now" adds a one-off trigger beside the cron trigger while it runs.
        foreach (var job in (await scheduler.QueryJobs(new JobQuery(), ct)).Items)
        {
            var headers = (await scheduler.QueryTriggers(new TriggerQuery { Job = job.Key }, ct)).Items;
            ICronTrigger? cron = null;
            TriggerHeader? cronHeader = null;
            foreach (var header in headers)
            {
                if (await scheduler.GetTrigger(header.Key, ct) is ICronTrigger c)
                {
                    (cron, cronHeader) = (c, header);
                }
            }
            var busy = headers.FirstOrDefault(h => h.State is TriggerState.Executing or TriggerState.Blocked);
            var last = recorded.GetValueOrDefault(job.Key);
            var previous = headers.Select(h => h.PreviousFireTimeUtc).Append(last?.FiredAt).Max();
            views.Add(new ScheduleView(
                job.Key.Group, job.Key.Name, job.Description, job.JobTypeName.Split(',')[0].Split('.')[^1], cron?.CronExpressionString,
                cron?.TimeZone.Id, (busy ?? cronHeader)?.State.ToString() ?? "None", cronHeader?.NextFireTimeUtc, previous,
                last?.Outcome, last?.Error));
        }
        return views;
    }

    public async Task TriggerAsync(string group, string name, CancellationToken ct)
    {
        var scheduler = await SchedulerAsync(ct);
        await scheduler.TriggerJob(await ExistingJobAsync(scheduler, group, name, ct), null!, ct);
    }

    public async Task PauseAsync(string group, string name, CancellationToken ct)
    {
        var scheduler = await SchedulerAsync(ct);
        await scheduler.PauseJob(await ExistingJobAsync(scheduler, group, name, ct), ct);
    }

    public async Task ResumeAsync(string group, string name, CancellationToken ct)
    {
        var scheduler = await SchedulerAsync(ct);
        await scheduler.ResumeJob(await ExistingJobAsync(scheduler, group, name, ct), ct);
    }

    /// <summary>Replaces the cron expression (and optionally the time zone) of the job's cron trigger.</summary>
    public async Task EditCronAsync(string group, string name, string cron, string? timeZone, CancellationToken ct)
    {
        if (!SchedulerExtensions.IsValidCron(cron))
        {
            throw new ScheduleException($"'{cron}' is not a valid Quartz cron expression (seconds minutes hours day-of-month month day-of-week [year]).");
        }
        var scheduler = await SchedulerAsync(ct);
        var key = await ExistingJobAsync(scheduler, group, name, ct);
        var headers = await scheduler.QueryTriggers(new TriggerQuery { Job = key }, ct);
        var header = headers.Items.FirstOrDefault() ?? throw new ScheduleException($"Schedule {name} has no trigger.");
        if (await scheduler.GetTrigger(header.Key, ct) is not ICronTrigger current)
        {
            throw new ScheduleException($"Schedule {name} is not a cron schedule.");
        }
        var zone = current.TimeZone;
        if (!string.IsNullOrWhiteSpace(timeZone) && !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out zone!))
        {
            throw new ScheduleException($"'{timeZone}' is not a known time zone.");
        }
        var paused = header.State == TriggerState.Paused;
        var replacement = TriggerBuilder.Create().WithIdentity(header.Key).ForJob(key).WithDescription(current.Description)
            .WithCronSchedule(cron, c => c.InTimeZone(zone)).Build();
        await scheduler.RescheduleJob(header.Key, replacement, ct);
        if (paused)
        {
            await scheduler.PauseTrigger(header.Key, ct);
        }
    }

    private static async Task<JobKey> ExistingJobAsync(IScheduler scheduler, string group, string name, CancellationToken ct)
    {
        var key = new JobKey(name, group);
        return await scheduler.GetJobDetail(key, ct) is null ? throw new ScheduleNotFoundException($"No schedule {group}.{name}.") : key;
    }
}

public sealed record ScheduleView(string Group, string Name, string? Description, string? JobType, string? Cron, string? TimeZone,
    string State, DateTimeOffset? NextRun, DateTimeOffset? LastRun, string? LastOutcome, string? LastError);

public class ScheduleException(string message) : Exception(message);

public sealed class ScheduleNotFoundException(string message) : ScheduleException(message);
