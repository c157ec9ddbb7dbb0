namespace Platform.Api.Scheduling;

/// <summary>Section <c>Scheduler</c>: recurring maintenance, fired as commands onto the bus. Quartz cron syntax (seconds first).</summary>
public sealed class SchedulerOptions
{
    public const string Section = "Scheduler";

    /// <summary>Run the schedules in this process (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>IANA time zone the cron expressions are read in (default UTC).</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Nightly database backup (default 02:00).</summary>
    public string BackupCron { get; set; } = "0 0 2 * * ?";

    /// <summary>Backup retention (default 02:30, after the backup).</summary>
    public string RetentionCron { get; set; } = "0 30 2 * * ?";

    /// <summary>Verification of the newest backup by restoring it (default Sundays 04:00).</summary>
    public string VerifyCron { get; set; } = "0 0 4 ? * SUN";
}
