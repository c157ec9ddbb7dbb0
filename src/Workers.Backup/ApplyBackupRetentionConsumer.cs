using MassTransit;
using Microsoft.Extensions.Options;
using Platform.Blobs;
using Platform.Data;
using Platform.Jobs;
using Platform.Messages;
using Platform.ServiceDefaults;
using Platform.Workers.Backup.Retention;

namespace Platform.Workers.Backup;

/// <summary>
/// Applies the retention rules of each store: the primary store's to the local copies, the off-site store's to the
/// off-site copies. A file goes first, then its record (or the record's mark of that copy); a record goes when no copy
/// is left. Dry run lists what would go and why the rest stays.
/// </summary>
public sealed class ApplyBackupRetentionConsumer(
    JobRunner runner, BackupStore backups, IBlobStore blobs, OffsiteStore offsite, IOptions<BackupOptions> options,
    TimeProvider clock, ILogger<ApplyBackupRetentionConsumer> logger) : IConsumer<ApplyBackupRetention>
{
    public Task Consume(ConsumeContext<ApplyBackupRetention> context) =>
        runner.RunAsync(context, context.Message.JobId, async job =>
        {
            var ct = job.CancellationToken;
            var dryRun = context.Message.DryRun;
            var all = await backups.ListAsync(100_000, ct);
            var now = clock.GetUtcNow();

            var local = RetentionPolicy.Decide(all.Where(b => b.LocalDeletedAt is null).ToList(), options.Value.Retention, now);
            var offsiteStore = offsite.Store;
            var remote = offsiteStore is null ? null
                : RetentionPolicy.Decide(all.Where(b => b.OffsiteAt is not null).ToList(), options.Value.Offsite.Retention, now);

            if (!dryRun)
            {
                foreach (var backup in local.Delete)
                {
                    await blobs.DeleteAsync(backup.BlobKey, ct);
                    var offsiteKept = backup.OffsiteAt is not null && remote is not null && !remote.Delete.Any(d => d.Id == backup.Id);
                    if (offsiteKept)
                    {
                        await backups.MarkLocalDeletedAsync(backup.Id, ct);
                    }
                    else if (backup.OffsiteAt is null || remote is null)
                    {
                        await backups.DeleteAsync(backup.Id, ct);
                    }
                    logger.LogInformation("Retention deleted the local copy of backup {BackupId} of {StartedAt}", backup.Id, backup.StartedAt);
                }
                foreach (var backup in remote?.Delete ?? [])
                {
                    await offsiteStore!.DeleteAsync(backup.BlobKey, ct);
                    var localKept = backup.LocalDeletedAt is null && !local.Delete.Any(d => d.Id == backup.Id);
                    if (localKept)
                    {
                        await backups.MarkOffsiteAsync(backup.Id, null, ct);
                    }
                    else
                    {
                        await backups.DeleteAsync(backup.Id, ct);
                    }
                    logger.LogInformation("Retention deleted the off-site copy of backup {BackupId} of {StartedAt}", backup.Id, backup.StartedAt);
                }
            }
            await job.SucceedAsync(Json.Serialize(new
            {
                dryRun,
                local = Report(local, options.Value.Retention),
                offsite = remote is null ? null : Report(remote, options.Value.Offsite.Retention),
            }), ct);
        });

    private static object Report(RetentionDecision decision, RetentionRules rules) => new
    {
        rules,
        deleted = decision.Delete.Select(b => new { b.Id, b.StartedAt, b.Status }),
        kept = decision.KeptBecause.Select(k => new { id = k.Key, reason = k.Value }),
    };
}

public sealed class ApplyBackupRetentionConsumerDefinition(IOptions<BusOptions> bus)
    : JobConsumerDefinition<ApplyBackupRetentionConsumer>(bus.Value, QueueNames.ApplyBackupRetention, 1);
