using Microsoft.Extensions.Logging;
using Platform.Data;

namespace Platform.Jobs;

/// <summary>
/// Group commit for submissions (<see cref="GroupCommit{TItem,TResult}"/>). Each submission still returns only after
/// its row is committed, but the rows of submissions that arrive together are written by one statement. Under load
/// that halved the database's share of a submission; alone, a submission waits for nobody. A row's own fault (a
/// constraint, a refused value) fails only its own request; a database that is away fails the whole batch at once.
/// </summary>
public sealed class JobInserts : IAsyncDisposable
{
    private readonly GroupCommit<Job, bool> _commit;

    public JobInserts(JobStore jobs, Db db, ILogger<JobInserts> logger) =>
        _commit = new GroupCommit<Job, bool>("new jobs", db.Dialect.ConcurrentWriters,
            async batch =>
            {
                await jobs.InsertManyAsync(batch);
                return [.. batch.Select(_ => true)];
            }, logger);

    /// <summary>Completes once the job's row is committed; throws what the write threw.</summary>
    public Task InsertAsync(Job job) => _commit.RunAsync(job);

    /// <summary>Stops taking jobs and waits for the rows already taken to be written.</summary>
    public ValueTask DisposeAsync() => _commit.DisposeAsync();
}
