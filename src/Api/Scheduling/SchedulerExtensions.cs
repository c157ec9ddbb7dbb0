using Hangfire;
using Hangfire.InMemory;
using Platform.Data;

namespace Platform.Api.Scheduling;

public static class SchedulerExtensions
{
    /// <summary>
    /// Hangfire with the platform's recurring maintenance (<see cref="MaintenanceJobs"/>). Every process gets the storage
    /// (the dashboard at /hangfire reads it); a process with <c>Scheduler:Enabled</c> also runs the Hangfire server and
    /// registers the recurring jobs from configuration (<see cref="RecurringSchedules"/>).
    /// </summary>
    public static IHostApplicationBuilder AddPlatformScheduler(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SchedulerOptions>().BindConfiguration(SchedulerOptions.Section)
            .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.TimeZone, out _), "Scheduler:TimeZone is not a known time zone.")
            .Validate(o => IsValidCron(o.BackupCron), "Scheduler:BackupCron is not a valid cron expression (minute hour day month weekday).")
            .Validate(o => IsValidCron(o.RetentionCron), "Scheduler:RetentionCron is not a valid cron expression (minute hour day month weekday).")
            .Validate(o => IsValidCron(o.VerifyCron), "Scheduler:VerifyCron is not a valid cron expression (minute hour day month weekday).")
            .Validate(o => o.Schema.Length > 0 && o.PollInterval > TimeSpan.Zero, "Scheduler:Schema must be set and Scheduler:PollInterval positive.")
            .ValidateOnStart();
        services.AddForProvider<ISchedulerStorage, PostgreSqlSchedulerStorage, InMemorySchedulerStorage>();
        services.AddTransient<MaintenanceJobs>();
        services.AddHangfire((sp, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseStorage(sp.GetRequiredService<ISchedulerStorage>().Storage)
            .WithJobExpirationTimeout(TimeSpan.FromDays(8))); // the weekly verification's last firing stays in the history
        var options = builder.Configuration.GetSection(SchedulerOptions.Section).Get<SchedulerOptions>() ?? new SchedulerOptions();
        if (options.Enabled)
        {
            services.AddHostedService<RecurringSchedules>(); // before the server, so its first pass sees them
            services.AddHangfireServer((sp, server) =>
            {
                server.WorkerCount = 2; // a firing only inserts a job row
                server.SchedulePollingInterval = options.PollInterval;
                server.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            });
        }
        return builder;
    }

    /// <summary>Whether Hangfire accepts the expression. Its parser is internal, so it is asked through a throw-away storage.</summary>
    public static bool IsValidCron(string expression)
    {
        try
        {
            new RecurringJobManager(new InMemoryStorage()).AddOrUpdate("probe", () => Probe(), expression);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static void Probe()
    {
    }
}
