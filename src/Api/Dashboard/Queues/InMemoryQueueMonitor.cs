using Platform.Data;
using Platform.Jobs;
using Platform.Messages;

namespace Platform.Api.Dashboard.Queues;

/// <summary>
/// Single-process mode: the in-memory transport has no queue API, so the job table stands in for it. A queue's depth
/// is its type's queued jobs, "unacked" its running jobs; the error queue holds the failed ones (retry them from the
/// jobs page). Consumers are this process's receive endpoints. The in and done rates are the type's jobs created and
/// finished per second over the last <see cref="RateWindow"/>; queues no job type maps to show none.
/// </summary>
public sealed class InMemoryQueueMonitor(Db db, WorkerActivity activity, TimeProvider? clock = null) : IQueueMonitor
{
    public static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(1);

    /// <summary>The job type whose command each queue carries; embedding is the second step of an ingest job.</summary>
    private static readonly Dictionary<string, string?> TypeOfQueue = new()
    {
        [QueueNames.ParseDocument] = JobTypes.Ingest,
        [QueueNames.EmbedDocument] = null,
        [QueueNames.GenerateAnswer] = JobTypes.Answer,
        [QueueNames.BackupDatabase] = JobTypes.Backup,
        [QueueNames.ApplyBackupRetention] = JobTypes.BackupRetention,
        [QueueNames.VerifyBackup] = JobTypes.BackupVerify,
        [QueueNames.RunProbe] = JobTypes.Probe,
    };

    public string Source => "in-memory";

    public bool CanMoveErrors => false;

    public async Task<IReadOnlyList<QueueView>> ListAsync(CancellationToken ct)
    {
        var counts = (await db.QueryAsync<(string Type, string Status, long Count)>(
                "SELECT type, status, count(*) FROM jobs WHERE status IN ('queued', 'running', 'failed') GROUP BY type, status", ct: ct))
            .ToDictionary(r => (r.Type, r.Status), r => r.Count);
        long Count(string? type, string status) => type is not null && counts.TryGetValue((type, status), out var n) ? n : 0;
        var since = (clock ?? TimeProvider.System).GetUtcNow() - RateWindow;
        var rates = (await db.QueryAsync<(string Type, long Created, long Finished)>(
                """
                SELECT type, sum(CASE WHEN created_at >= @since THEN 1 ELSE 0 END), sum(CASE WHEN finished_at >= @since THEN 1 ELSE 0 END)
                FROM jobs WHERE created_at >= @since OR finished_at >= @since GROUP BY type
                """, new { since }, ct))
            .ToDictionary(r => r.Type, r => (In: r.Created / RateWindow.TotalSeconds, Done: r.Finished / RateWindow.TotalSeconds));
        var consuming = activity.Queues;
        return QueueNames.All.Select(q =>
        {
            var type = TypeOfQueue.GetValueOrDefault(q);
            var consumers = consuming.Contains(q) ? 1 : 0;
            double? Rate(Func<(double In, double Done), double> pick) => type is null ? null : rates.TryGetValue(type, out var r) ? pick(r) : 0;
            return new QueueView(q, true, Count(type, JobStatus.Queued), Count(type, JobStatus.Running), consumers, Rate(r => r.In), Rate(r => r.Done),
                new QueueView(q + "_error", true, Count(type, JobStatus.Failed), 0, 0, null, null, null));
        }).ToList();
    }

    public Task<MoveResult> MoveErrorsBackAsync(string queue, int max, CancellationToken ct) =>
        Task.FromResult(new MoveResult(0, 0, "The in-memory bus keeps no error queue; retry the failed jobs instead."));
}
