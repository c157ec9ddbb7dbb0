using System.Diagnostics;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.Options;
using Platform.Blobs;
using Platform.Data;
using Platform.Jobs;
using Platform.Messages;
using Platform.ServiceDefaults;
using Platform.Workers.Backup.Dumps;

namespace Platform.Workers.Backup;

/// <summary>Dumps the database (one backup at a time across processes), records the backup with its manifest, copies it off-site.</summary>
public sealed class BackupDatabaseConsumer(
    JobRunner runner, BackupStore backups, IDatabaseDumper dumper, BackupLock backupLock, IBlobStore blobs,
    OffsiteStore offsite, IBackupMetrics metrics, TimeProvider clock, ILogger<BackupDatabaseConsumer> logger)
    : IConsumer<BackupDatabase>
{
    public Task Consume(ConsumeContext<BackupDatabase> context) =>
        runner.RunAsync(context, context.Message.JobId, async job =>
        {
            await using var held = await backupLock.TryAcquireAsync(job.CancellationToken);
            if (held is null)
            {
                metrics.BackupFailed(ReasonCodes.BackupInProgress);
                throw new JobFailureException(ReasonCodes.BackupInProgress, "Another backup is running; this one was not started.");
            }
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
                var failure = BackupFailures.Classify(ex);
                await backups.FailAsync(backup.Id, failure.Message, CancellationToken.None);
                metrics.BackupFailed(failure is JobFailureException f ? f.ReasonCode : ReasonCodes.BackupFailed);
                if (ReferenceEquals(failure, ex))
                {
                    throw;
                }
                throw failure;
            }
            var manifest = new BackupManifest(backup.Id, dumper.Provider, dump.Format, dump.ServerVersion, started, clock.GetUtcNow(),
                watch.ElapsedMilliseconds, dump.SizeBytes, dump.Sha256, dump.TableRowCounts, dump.Encrypted);
            await backups.CompleteAsync(backup.Id, dump.SizeBytes, dump.Sha256, Json.Serialize(manifest), dump.Encrypted, job.CancellationToken);
            metrics.BackupSucceeded(manifest.FinishedAt, watch.Elapsed, dump.SizeBytes);
            logger.LogInformation("Backup {BackupId} written: {SizeBytes} bytes in {DurationMs} ms, sha256 {Sha256}",
                backup.Id, dump.SizeBytes, watch.ElapsedMilliseconds, dump.Sha256);

            var offsiteOutcome = await CopyOffsiteAsync(backup, job.CancellationToken);
            // The job result is the manifest, plus how the off-site copy went.
            var result = JsonNode.Parse(Json.Serialize(manifest))!.AsObject();
            result["offsite"] = offsiteOutcome;
            await job.SucceedAsync(result.ToJsonString(), job.CancellationToken);
            await context.PublishBoundedAsync(new BackupCompleted
            {
                JobId = context.Message.JobId, BackupId = backup.Id, SizeBytes = dump.SizeBytes, Sha256 = dump.Sha256,
                CorrelationId = context.Message.CorrelationId,
            });
        });

    // A failed off-site copy does not undo a good local backup: it is logged, counted, and shown in the job result.
    private async Task<string> CopyOffsiteAsync(Platform.Data.Backup backup, CancellationToken ct)
    {
        if (offsite.Store is null)
        {
            return "not configured";
        }
        try
        {
            await offsite.CopyAsync(blobs, backup.BlobKey, ct);
            await backups.MarkOffsiteAsync(backup.Id, clock.GetUtcNow(), ct);
            return "copied";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Off-site copy of backup {BackupId} failed", backup.Id);
            metrics.BackupFailed("offsite_copy_failed");
            return $"failed: {ex.Message}";
        }
    }
}

/// <summary>What a backup contains, stored with it and returned by the API.</summary>
public sealed record BackupManifest(Guid BackupId, string Provider, string Format, string ServerVersion, DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt, long DurationMs, long SizeBytes, string Sha256, IReadOnlyDictionary<string, long> TableRowCounts,
    bool Encrypted = false);

public sealed class BackupDatabaseConsumerDefinition(IOptions<BusOptions> bus)
    : JobConsumerDefinition<BackupDatabaseConsumer>(bus.Value, QueueNames.BackupDatabase, 1); // one dump at a time per process; BackupLock makes it one across processes
