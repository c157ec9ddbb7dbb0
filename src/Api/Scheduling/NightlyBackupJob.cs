using Platform.Data;
using Platform.Jobs;
using Quartz;

namespace Platform.Api.Scheduling;

/// <summary>Queues a database backup; the backup worker does the work.</summary>
[DisallowConcurrentExecution]
public sealed class NightlyBackupJob(JobSubmitter submitter, ILogger<NightlyBackupJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var job = await submitter.SubmitAsync(SystemTenant.Id, JobTypes.Backup, ct: ct);
        logger.LogInformation("Schedule {Schedule} queued backup job {JobId}", context.JobDetail.Key.Name, job.Id);
    }
}
