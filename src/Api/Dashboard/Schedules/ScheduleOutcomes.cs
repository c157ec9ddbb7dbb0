using System.Collections.Concurrent;
using Quartz;

namespace Platform.Api.Dashboard.Schedules;

/// <summary>
/// Remembers how each schedule's last firing ended (Quartz keeps the last fire time, not its outcome). In memory:
/// after a restart the outcome shows again from the next firing.
/// </summary>
public sealed class ScheduleOutcomes : IJobListener
{
    private readonly ConcurrentDictionary<JobKey, ScheduleOutcome> _last = new();

    public string Name => "platform-dashboard";

    public ScheduleOutcome? Last(JobKey key) => _last.GetValueOrDefault(key);

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken ct = default)
    {
        _last[context.JobDetail.Key] = new ScheduleOutcome(context.FireTimeUtc, "running", null, null);
        return ValueTask.CompletedTask;
    }

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken ct = default)
    {
        _last[context.JobDetail.Key] = new ScheduleOutcome(context.FireTimeUtc, "vetoed", null, null);
        return ValueTask.CompletedTask;
    }

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken ct = default)
    {
        var outcome = jobException is null ? "succeeded" : "failed";
        _last[context.JobDetail.Key] = new ScheduleOutcome(context.FireTimeUtc, outcome,
            jobException?.InnerException?.Message ?? jobException?.Message, context.JobRunTime.TotalMilliseconds);
        return ValueTask.CompletedTask;
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
