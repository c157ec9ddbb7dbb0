using Platform.Data;
using Platform.Jobs;
using Quartz;

namespace Platform.Api.Scheduling;

/// <summary>Queues backup retention; the backup worker deletes what the rules no longer keep.</summary>
[DisallowConcurrentExecution]
public sealed class BackupRetentionJob(JobSubmitter submitter, ILogger<BackupRetentionJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var job = await submitter.SubmitAsync(SystemTenant.Id, JobTypes.BackupRetention, new RetentionInput(false), ct: ct);
        logger.LogInformation("Schedule {Schedule} queued retention job {JobId}", context.JobDetail.Key.Name, job.Id);
    }
}
