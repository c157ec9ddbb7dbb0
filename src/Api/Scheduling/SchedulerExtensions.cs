using Platform.Data;
using Platform.Jobs;
using Quartz;

namespace Platform.Api.Scheduling;

public static class SchedulerExtensions
{
    public const string BackupSchedule = "nightly-backup";
    public const string RetentionSchedule = "backup-retention";
    public const string VerifySchedule = "backup-verification";

    /// <summary>
    /// Quartz.NET (Hangfire cannot be restored here) firing backup, retention and verification as bus commands.
    /// On PostgreSQL the schedules live in the database (the qrtz_* tables of schema step 3) and every API replica
    /// joins one cluster, so each firing happens once. A firing missed while everything was down fires once at
    /// start-up (misfire: fire once now, then resume): declared schedules never replace stored ones, and
    /// <see cref="ScheduleSync"/> applies a changed cron or time zone. With <c>Scheduler:Enabled</c> false, a process on
    /// PostgreSQL still reads and changes the stored schedules for its dashboard, and fires nothing.
    /// </summary>
    public static IHostApplicationBuilder AddPlatformScheduler(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(SchedulerOptions.Section).Get<SchedulerOptions>() ?? new SchedulerOptions();
        builder.Services.AddOptions<SchedulerOptions>().BindConfiguration(SchedulerOptions.Section)
            .Validate(o => IsValidCron(o.BackupCron), "Scheduler:BackupCron is not a valid Quartz cron expression.")
            .Validate(o => IsValidCron(o.RetentionCron), "Scheduler:RetentionCron is not a valid Quartz cron expression.")
            .Validate(o => IsValidCron(o.VerifyCron), "Scheduler:VerifyCron is not a valid Quartz cron expression.")
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _), "Scheduler:TimeZone is not a known time zone.")
            .ValidateOnStart();
        var database = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var stored = database.UsesPostgreSql;
        if (!options.Enabled)
        {
            if (stored)
            {
                // This replica fires nothing, but its dashboard shows and changes the stored schedules: a scheduler that
                // is never started reads and writes the qrtz_* tables, and the one that runs picks the changes up.
                builder.AddQuartz(q => UseStore(q, database));
            }
            return builder;
        }
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out var z) ? z : TimeZoneInfo.Utc;
        // A replaced trigger would compute its next firing from now and forget the one it missed; keep what is stored.
        builder.Services.Configure<QuartzOptions>(o => o.Scheduling.IgnoreDuplicates = true);
        // How long an idle scheduler waits before it looks for triggers another process stored ("Trigger now" on another
        // replica's dashboard). Quartz's default is 30 s.
        builder.Services.Configure<QuartzSchedulerOptions>(o => o.IdleWaitTime = TimeSpan.FromSeconds(5));
        builder.AddQuartz(q =>
        {
            if (stored)
            {
                UseStore(q, database);
            }
            Schedule<NightlyBackupJob>(q, BackupSchedule, options.BackupCron, zone);
            Schedule<BackupRetentionJob>(q, RetentionSchedule, options.RetentionCron, zone);
            Schedule<BackupVerificationJob>(q, VerifySchedule, options.VerifyCron, zone);
        });
        builder.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        builder.Services.AddHostedService<ScheduleSync>(); // after the scheduler has started
        return builder;
    }

    private static void UseStore(IQuartzBuilder q, DatabaseOptions database) =>
        q.UsePersistentStore(store =>
        {
            store.UsePostgres(database.ConnectionString);
            store.UseSystemTextJsonSerializer();
            store.UseClustering();
        });

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

    public static IEnumerable<(string Name, string Cron)> Schedules(SchedulerOptions o) =>
        [(BackupSchedule, o.BackupCron), (RetentionSchedule, o.RetentionCron), (VerifySchedule, o.VerifyCron)];

    /// <summary>A schedule's trigger: cron in the zone; a missed firing fires once, then the schedule resumes.</summary>
    public static ITrigger Trigger(string name, string cron, TimeZoneInfo zone) =>
        TriggerBuilder.Create(TimeProvider.System).ForJob(name).WithIdentity(name)
            .WithCronSchedule(cron, c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)).Build();

    private static void Schedule<TJob>(IQuartzBuilder q, string name, string cron, TimeZoneInfo zone)
        where TJob : IJob
    {
        q.AddJob<TJob>(j => j.WithIdentity(name).WithDescription(name).StoreDurably());
        q.AddTrigger(t => t.ForJob(name).WithIdentity(name)
            .WithCronSchedule(cron, c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
    }
}
