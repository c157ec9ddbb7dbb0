namespace Platform.Api.Scheduling;

/// <summary>
/// Section <c>Scheduler</c>: the recurring maintenance jobs Hangfire fires (each firing submits a platform job onto the
/// bus). Cron in Hangfire's syntax: five fields (minute hour day-of-month month day-of-week), or six with seconds first.
/// </summary>
public sealed class SchedulerOptions
{
    public const string Section = "Scheduler";

    /// <summary>
    /// This process runs the Hangfire server: it owns the recurring jobs (registers them from this section at start) and
    /// fires them (default true). Every process shows the Hangfire dashboard either way.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time zone the cron expressions are read in, IANA name (default UTC).</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Nightly database backup (default 02:00).</summary>
    public string BackupCron { get; set; } = "0 2 * * *";

    /// <summary>Backup retention (default 02:30, after the backup).</summary>
    public string RetentionCron { get; set; } = "30 2 * * *";

    /// <summary>Verification of the newest backup by restoring it (default Sundays 04:00).</summary>
    public string VerifyCron { get; set; } = "0 4 * * 0";

    /// <summary>PostgreSQL schema of Hangfire's tables, beside the platform's own (default <c>hangfire</c>).</summary>
    public string Schema { get; set; } = "hangfire";

    /// <summary>How often an idle server looks for a job to run, e.g. one "Trigger now" on another replica (default 5 s).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
