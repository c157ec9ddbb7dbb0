using Quartz;

namespace Platform.Api.Scheduling;

public static class SchedulerExtensions
{
    public const string BackupSchedule = "nightly-backup";
    public const string RetentionSchedule = "backup-retention";

    /// <summary>Quartz.NET (Hangfire cannot be restored here) firing the nightly backup and retention as bus commands.</summary>
    public static IHostApplicationBuilder AddPlatformScheduler(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(SchedulerOptions.Section).Get<SchedulerOptions>() ?? new SchedulerOptions();
        builder.Services.AddOptions<SchedulerOptions>().BindConfiguration(SchedulerOptions.Section)
            .Validate(o => IsValidCron(o.BackupCron), "Scheduler:BackupCron is not a valid Quartz cron expression.")
            .Validate(o => IsValidCron(o.RetentionCron), "Scheduler:RetentionCron is not a valid Quartz cron expression.")
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _), "Scheduler:TimeZone is not a known time zone.")
            .ValidateOnStart();
        if (!options.Enabled)
        {
            return builder;
        }
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out var z) ? z : TimeZoneInfo.Utc;
        builder.AddQuartz(q =>
        {
            Schedule<NightlyBackupJob>(q, BackupSchedule, options.BackupCron, zone);
            Schedule<BackupRetentionJob>(q, RetentionSchedule, options.RetentionCron, zone);
        });
        builder.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return builder;
    }

    public static bool IsValidCron(string expression)
    {
        try
        {
            _ = new CronExpression(expression);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static void Schedule<TJob>(IQuartzBuilder q, string name, string cron, TimeZoneInfo zone)
        where TJob : IJob
    {
        q.AddJob<TJob>(j => j.WithIdentity(name).WithDescription(name));
        q.AddTrigger(t => t.ForJob(name).WithIdentity(name).WithCronSchedule(cron, c => c.InTimeZone(zone)));
    }
}
