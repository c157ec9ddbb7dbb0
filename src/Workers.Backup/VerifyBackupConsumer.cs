using MassTransit;
using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Jobs;
using Platform.Messages;
using Platform.ServiceDefaults;
using Platform.Workers.Backup.Verification;

namespace Platform.Workers.Backup;

/// <summary>Verifies a backup (or the newest one) and records verified_at, the outcome and the restore time on it.</summary>
public sealed class VerifyBackupConsumer(JobRunner runner, BackupStore backups, BackupVerifier verifier, IBackupMetrics metrics)
    : IConsumer<VerifyBackup>
{
    public Task Consume(ConsumeContext<VerifyBackup> context) =>
        runner.RunAsync(context, context.Message.JobId, async job =>
        {
            var backup = context.Message.BackupId is { } id
                ? await backups.GetAsync(id, job.CancellationToken) ?? throw new JobFailureException(ReasonCodes.NotFound, $"No backup {id}.")
                : (await backups.ListAsync(200, job.CancellationToken)).FirstOrDefault(b => b.Status == BackupStatus.Succeeded)
                  ?? throw new JobFailureException(ReasonCodes.NotFound, "There is no successful backup to verify.");

            var result = await verifier.VerifyAsync(backup, job.CancellationToken);
            await backups.RecordVerificationAsync(backup.Id, result.Passed ? VerifyStatus.Passed : VerifyStatus.Failed,
                result.RestoreMs, result.Problem, CancellationToken.None);
            metrics.Verified(result.Passed, TimeSpan.FromMilliseconds(result.RestoreMs));
            await context.PublishBoundedAsync(new BackupVerified
            {
                JobId = context.Message.JobId, BackupId = backup.Id, Passed = result.Passed, RestoreMs = result.RestoreMs,
                Problem = result.Problem, CorrelationId = context.Message.CorrelationId,
            });
            if (!result.Passed)
            {
                throw new JobFailureException(ReasonCodes.VerificationFailed, result.Problem!);
            }
            await job.SucceedAsync(Json.Serialize(result), job.CancellationToken);
        });
}

public sealed class VerifyBackupConsumerDefinition(IOptions<BusOptions> bus)
    : JobConsumerDefinition<VerifyBackupConsumer>(bus.Value, QueueNames.VerifyBackup, 1); // a restore is heavy; one per process
