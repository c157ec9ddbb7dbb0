using Hangfire;
using Platform.Data;
using Platform.Jobs;

namespace Platform.Api.Scheduling;

/// <summary>
/// What Hangfire runs when a recurring job fires: it submits the platform's own job and returns its id, which Hangfire
/// keeps in the firing's history ("Result"). The work itself runs on the bus, in Workers.Backup. A submission that
/// fails throws: Hangfire records why and retries it a few times.
/// </summary>
[AutomaticRetry(Attempts = 3)]
public sealed class MaintenanceJobs(JobSubmitter submitter)
{
    public const string Backup = "nightly-backup";
    public const string Retention = "backup-retention";
    public const string Verify = "backup-verification";

    [JobDisplayName("Nightly backup: submit a backup job")]
    public Task<string> SubmitBackupAsync(CancellationToken ct) => SubmitAsync(JobTypes.Backup, null, ct);

    [JobDisplayName("Backup retention: submit a retention job")]
    public Task<string> SubmitRetentionAsync(CancellationToken ct) => SubmitAsync(JobTypes.BackupRetention, new RetentionInput(false), ct);

    [JobDisplayName("Backup verification: submit a verification job")]
    public Task<string> SubmitVerificationAsync(CancellationToken ct) => SubmitAsync(JobTypes.BackupVerify, new VerifyInput(null), ct);

    private async Task<string> SubmitAsync(string type, object? input, CancellationToken ct)
    {
        var job = await submitter.SubmitAsync(SystemTenant.Id, type, input, ct: ct);
        return $"Submitted platform job {job.Id} ({type})";
    }
}
