using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Options;
using Platform.Infrastructure;
using Platform.Infrastructure.Bus;
using Platform.Infrastructure.Data;
using Platform.Infrastructure.Jobs;
using Platform.Messages;
using Platform.Workers.Backup.Dumps;

namespace Platform.Workers.Backup;

/// <summary>Dumps the database, records the backup with its manifest, and ends the job.</summary>
public sealed class BackupDatabaseConsumer(
    JobRunner runner, JobStore jobs, BackupStore backups, IDatabaseDumper dumper, TimeProvider clock, ILogger<BackupDatabaseConsumer> logger)
    : IConsumer<BackupDatabase>
{
    public Task Consume(ConsumeContext<BackupDatabase> context) =>
        runner.RunAsync(context, context.Message.JobId, async job =>
        {
            var backup = await backups.StartAsync(context.Message.JobId, dumper.Provider, job.CancellationToken);
            var started = clock.GetUtcNow();
            var watch = Stopwatch.StartNew();
            DumpResult dump;
            try
            {
                dump = await dumper.DumpAsync(backup.BlobKey, job.CancellationToken);
            }
            catch (Exception ex)
            {
                await backups.FailAsync(backup.Id, ex.Message, CancellationToken.None);
                throw;
            }
            var manifest = new BackupManifest(backup.Id, dumper.Provider, dump.Format, dump.ServerVersion, started, clock.GetUtcNow(),
                watch.ElapsedMilliseconds, dump.SizeBytes, dump.Sha256, dump.TableRowCounts);
            await backups.CompleteAsync(backup.Id, dump.SizeBytes, dump.Sha256, Json.Serialize(manifest), job.CancellationToken);
            await jobs.SucceedAsync(context.Message.JobId, Json.Serialize(manifest), job.CancellationToken);
            logger.LogInformation("Backup {BackupId} written: {SizeBytes} bytes in {DurationMs} ms, sha256 {Sha256}",
                backup.Id, dump.SizeBytes, watch.ElapsedMilliseconds, dump.Sha256);
            await context.Publish(new BackupCompleted
            {
                JobId = context.Message.JobId, BackupId = backup.Id, SizeBytes = dump.SizeBytes, Sha256 = dump.Sha256,
                CorrelationId = context.Message.CorrelationId,
            });
        });
}

/// <summary>What a backup contains, stored with it and returned by the API.</summary>
public sealed record BackupManifest(Guid BackupId, string Provider, string Format, string ServerVersion, DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt, long DurationMs, long SizeBytes, string Sha256, IReadOnlyDictionary<string, long> TableRowCounts);

public sealed class BackupDatabaseConsumerDefinition : ConsumerDefinition<BackupDatabaseConsumer>
{
    private readonly BusOptions _bus;

    public BackupDatabaseConsumerDefinition(IOptions<BusOptions> bus)
    {
        _bus = bus.Value;
        EndpointName = QueueNames.BackupDatabase;
        ConcurrentMessageLimit = 1; // one dump at a time per process
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<BackupDatabaseConsumer> consumer,
        IRegistrationContext context) => endpoint.UsePlatformRetry(_bus);
}
