using Platform.Data;
using Platform.Jobs;
using Quartz;

namespace Platform.Api.Scheduling;

/// <summary>Queues verification of the newest backup; the backup worker restores it into a scratch database.</summary>
[DisallowConcurrentExecution]
public sealed class BackupVerificationJob(JobSubmitter submitter, ILogger<BackupVerificationJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var job = await submitter.SubmitAsync(SystemTenant.Id, JobTypes.BackupVerify, new VerifyInput(null), ct: ct);
        logger.LogInformation("Schedule {Schedule} queued verification job {JobId}", context.JobDetail.Key.Name, job.Id);
    }
}
