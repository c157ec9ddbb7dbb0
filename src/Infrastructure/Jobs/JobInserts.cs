using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Npgsql;
using Platform.Infrastructure.Data;

namespace Platform.Infrastructure.Jobs;

/// <summary>
/// Group commit for submissions. Each submission still returns only after its row is committed, but the rows of
/// submissions that arrive together are written by one statement: while one write is in progress, the next
/// submissions queue up and go in the following one. Under load that replaces a round trip, a parse and a commit per
/// job with one per batch (the database's share of a submission fell by about half); alone, a submission waits for
/// nobody. If a batch fails on a row (a constraint, a refused value), each of its rows is written on its own, so one
/// bad row fails only its own request; if the database is away, the whole batch fails at once.
/// </summary>
public sealed class JobInserts : IAsyncDisposable
{
    /// <summary>Most rows in one statement.</summary>
    public const int MaxBatch = 128;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly JobStore _jobs;
    private readonly ILogger<JobInserts> _logger;
    private readonly Task[] _writers;

    public JobInserts(JobStore jobs, Db db, ILogger<JobInserts> logger)
    {
        _jobs = jobs;
        _logger = logger;
        // Two statements in flight keep PostgreSQL's connection round trip off the critical path; SQLite has one writer.
        _writers = [.. Enumerable.Range(0, db.Provider == DbProvider.PostgreSql ? 2 : 1).Select(_ => Task.Run(WriteAsync))];
    }

    /// <summary>Completes once the job's row is committed; throws what the write threw.</summary>
    public Task InsertAsync(Job job)
    {
        var pending = new Pending(job);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(JobInserts), "The process is stopping; no new jobs are recorded.");
        }
        return pending.Committed.Task;
    }

    private async Task WriteAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }
            if (batch.Count == 0)
            {
                continue; // the other writer took them
            }
            try
            {
                await WriteBatchAsync(batch);
            }
            catch (Exception ex)
            {
                // Whatever happens, every request taken here gets an answer and the loop goes on.
                foreach (var pending in batch)
                {
                    pending.Committed.TrySetException(ex);
                }
            }
        }
    }

    private async Task WriteBatchAsync(List<Pending> batch)
    {
        try
        {
            await _jobs.InsertManyAsync([.. batch.Select(p => p.Job)]);
            foreach (var pending in batch)
            {
                pending.Committed.TrySetResult();
            }
            return;
        }
        catch (Exception ex) when (batch.Count > 1 && IsRowFault(ex))
        {
            _logger.LogWarning(ex, "Writing {Count} new jobs together failed on a row; writing them one at a time", batch.Count);
        }
        catch (Exception ex)
        {
            // The database is away or the write timed out: every row's request fails now (503 to its client), rather
            // than trying each row again against a database that does not answer.
            foreach (var pending in batch)
            {
                pending.Committed.TrySetException(ex);
            }
            return;
        }
        foreach (var pending in batch)
        {
            try
            {
                await _jobs.InsertManyAsync([pending.Job]);
                pending.Committed.TrySetResult();
            }
            catch (Exception ex)
            {
                pending.Committed.TrySetException(ex);
            }
        }
    }

    /// <summary>A row's own fault (a constraint or a value the column refuses), which writing the others alone avoids.</summary>
    private static bool IsRowFault(Exception ex) => ex switch
    {
        PostgresException pg => pg.SqlState.StartsWith("22", StringComparison.Ordinal) || pg.SqlState.StartsWith("23", StringComparison.Ordinal),
        SqliteException sqlite => sqlite.SqliteErrorCode is 19 or 20 or 25, // CONSTRAINT, MISMATCH, RANGE
        _ => false,
    };

    /// <summary>Stops taking jobs and waits for the rows already taken to be written.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private sealed class Pending(Job job)
    {
        public Job Job { get; } = job;

        // Continuations run on the thread pool, not inline on the writer, which goes straight on to the next batch.
        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
