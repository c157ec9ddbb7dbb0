using MassTransit;
using Microsoft.Extensions.Options;
using Platform.Infrastructure;
using Platform.Infrastructure.Blobs;
using Platform.Infrastructure.Bus;
using Platform.Infrastructure.Data;
using Platform.Infrastructure.Jobs;
using Platform.Messages;

namespace Platform.Workers.Backup;

/// <summary>Keeps the newest <see cref="BackupOptions.KeepLast"/> successful backups and deletes the rest, file and record together.</summary>
public sealed class ApplyBackupRetentionConsumer(
    JobRunner runner, JobStore jobs, BackupStore backups, IBlobStore blobs, IOptions<BackupOptions> options,
    ILogger<ApplyBackupRetentionConsumer> logger) : IConsumer<ApplyBackupRetention>
{
    public Task Consume(ConsumeContext<ApplyBackupRetention> context) =>
        runner.RunAsync(context, context.Message.JobId, async job =>
        {
            var all = await backups.ListAsync(10_000, job.CancellationToken);
            var expired = RetentionPolicy.Expired(all, options.Value.KeepLast);
            if (!context.Message.DryRun)
            {
                foreach (var backup in expired)
                {
                    await blobs.DeleteAsync(backup.BlobKey, job.CancellationToken);
                    await backups.DeleteAsync(backup.Id, job.CancellationToken);
                    logger.LogInformation("Retention deleted backup {BackupId} of {StartedAt}", backup.Id, backup.StartedAt);
                }
            }
            await jobs.SucceedAsync(context.Message.JobId, Json.Serialize(new
            {
                dryRun = context.Message.DryRun, keepLast = options.Value.KeepLast,
                deleted = expired.Select(b => new { b.Id, b.StartedAt, b.Status }),
            }), job.CancellationToken);
        });
}

public static class RetentionPolicy
{
    /// <summary>
    /// Backups to delete: successful ones beyond the newest <paramref name="keepLast"/>, and failed or abandoned
    /// ones older than the newest success. The newest successful backup is never in the list.
    /// </summary>
    public static IReadOnlyList<Platform.Infrastructure.Data.Backup> Expired(IReadOnlyList<Platform.Infrastructure.Data.Backup> backups, int keepLast)
    {
        var succeeded = backups.Where(b => b.Status == BackupStatus.Succeeded).OrderByDescending(b => b.StartedAt).ToList();
        var newest = succeeded.FirstOrDefault()?.StartedAt;
        var old = succeeded.Skip(Math.Max(1, keepLast));
        var stale = backups.Where(b => b.Status != BackupStatus.Succeeded && newest is not null && b.StartedAt < newest);
        return old.Concat(stale).OrderBy(b => b.StartedAt).ToList();
    }
}

public sealed class ApplyBackupRetentionConsumerDefinition : ConsumerDefinition<ApplyBackupRetentionConsumer>
{
    private readonly BusOptions _bus;

    public ApplyBackupRetentionConsumerDefinition(IOptions<BusOptions> bus)
    {
        _bus = bus.Value;
        EndpointName = QueueNames.ApplyBackupRetention;
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<ApplyBackupRetentionConsumer> consumer, IRegistrationContext context) => endpoint.UsePlatformRetry(_bus);
}
