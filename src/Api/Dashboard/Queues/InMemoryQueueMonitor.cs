using Platform.Data;
using Platform.Jobs;
using Platform.Messages;

namespace Platform.Api.Dashboard.Queues;

/// <summary>
/// Single-process mode: the in-memory transport has no queue API, so the job table stands in for it. A queue's depth
/// is its type's queued jobs, "unacked" its running jobs; the error queue holds the failed ones (retry them from the
/// jobs page). Consumers are this process's receive endpoints.
/// </summary>
public sealed class InMemoryQueueMonitor(Db db, WorkerActivity activity) : IQueueMonitor
{
    /// <summary>The job type whose command each queue carries; embedding is the second step of an ingest job.</summary>
    private static readonly Dictionary<string, string?> TypeOfQueue = new()
    {
        [QueueNames.ParseDocument] = JobTypes.Ingest,
        [QueueNames.EmbedDocument] = null,
        [QueueNames.GenerateAnswer] = JobTypes.Answer,
        [QueueNames.BackupDatabase] = JobTypes.Backup,
        [QueueNames.ApplyBackupRetention] = JobTypes.BackupRetention,
    };

    public string Source => "in-memory";

    public bool CanMoveErrors => false;

    public async Task<IReadOnlyList<QueueView>> ListAsync(CancellationToken ct)
    {
        var counts = (await db.QueryAsync<(string Type, string Status, long Count)>(
                "SELECT type, status, count(*) FROM jobs WHERE status IN ('queued', 'running', 'failed') GROUP BY type, status", ct: ct))
            .ToDictionary(r => (r.Type, r.Status), r => r.Count);
        long Count(string? type, string status) => type is not null && counts.TryGetValue((type, status), out var n) ? n : 0;
        var consuming = activity.Queues;
        return QueueNames.All.Select(q =>
        {
            var type = TypeOfQueue.GetValueOrDefault(q);
            var consumers = consuming.Contains(q) ? 1 : 0;
            return new QueueView(q, true, Count(type, JobStatus.Queued), Count(type, JobStatus.Running), consumers, null, null,
                new QueueView(q + "_error", true, Count(type, JobStatus.Failed), 0, 0, null, null, null));
        }).ToList();
    }

    public Task<MoveResult> MoveErrorsBackAsync(string queue, int max, CancellationToken ct) =>
        Task.FromResult(new MoveResult(0, 0, "The in-memory bus keeps no error queue; retry the failed jobs instead."));
}
