using Platform.Data;

namespace Platform.Workers.Backup;

/// <summary>Seeds the last-success gauges from the newest successful backup record when the process starts.</summary>
public sealed class BackupMetricsSeeder(BackupStore backups, BackupMetrics metrics, SchemaMigrator schema, ILogger<BackupMetricsSeeder> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!schema.Completed)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
            var newest = (await backups.ListAsync(50, stoppingToken)).FirstOrDefault(b => b.Status == BackupStatus.Succeeded && b.FinishedAt is not null);
            if (newest is not null)
            {
                metrics.Seed(newest.FinishedAt!.Value, newest.FinishedAt.Value - newest.StartedAt, newest.SizeBytes);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not read the newest backup for the metrics");
        }
    }
}
