using Microsoft.Extensions.Options;
using Quartz;

namespace Platform.Api.Scheduling;

/// <summary>
/// Applies a changed cron expression or time zone to a schedule already stored in the database. Stored triggers are
/// otherwise left as they are at start-up, so a firing they missed while everything was down is a misfire, fired once.
/// </summary>
public sealed class ScheduleSync(ISchedulerFactory factory, IOptions<SchedulerOptions> options, ILogger<ScheduleSync> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var o = options.Value;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(o.TimeZone);
        var scheduler = await factory.GetScheduler(ct);
        foreach (var (name, cron) in SchedulerExtensions.Schedules(o))
        {
            var key = new TriggerKey(name);
            if (await scheduler.GetTrigger(key, ct) is ICronTrigger stored && (stored.CronExpressionString != cron || stored.TimeZone.Id != zone.Id))
            {
                await scheduler.RescheduleJob(key, SchedulerExtensions.Trigger(name, cron, zone), ct);
                logger.LogInformation("Schedule {Schedule} changed to {Cron} ({TimeZone})", name, cron, zone.Id);
            }
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
