using Hangfire;
using Microsoft.Extensions.Options;

namespace Platform.Api.Scheduling;

/// <summary>
/// Registers the three recurring jobs from configuration at start, in the process that runs the Hangfire server. An
/// unchanged cron keeps its stored next occurrence, so one missed while everything was down fires once (misfire:
/// relaxed); a changed cron or time zone applies from now. Configuration is the one place a schedule is edited.
/// </summary>
public sealed class RecurringSchedules(IRecurringJobManager manager, IOptions<SchedulerOptions> options, ILogger<RecurringSchedules> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken ct)
    {
        var o = options.Value;
        var recurring = new RecurringJobOptions { TimeZone = TimeZoneInfo.FindSystemTimeZoneById(o.TimeZone), MisfireHandling = MisfireHandlingMode.Relaxed };
        manager.AddOrUpdate<MaintenanceJobs>(MaintenanceJobs.Backup, j => j.SubmitBackupAsync(CancellationToken.None), o.BackupCron, recurring);
        manager.AddOrUpdate<MaintenanceJobs>(MaintenanceJobs.Retention, j => j.SubmitRetentionAsync(CancellationToken.None), o.RetentionCron, recurring);
        manager.AddOrUpdate<MaintenanceJobs>(MaintenanceJobs.Verify, j => j.SubmitVerificationAsync(CancellationToken.None), o.VerifyCron, recurring);
        logger.LogInformation("Recurring jobs registered: backup {Backup}, retention {Retention}, verification {Verify} ({TimeZone})",
            o.BackupCron, o.RetentionCron, o.VerifyCron, o.TimeZone);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
