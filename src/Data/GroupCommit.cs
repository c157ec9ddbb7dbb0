using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Platform.Data;

/// <summary>
/// Group commit: callers that arrive together share one statement. Each caller still gets its own result only after
/// the statement that carried its item committed, but while one statement is in flight the next callers queue up and
/// go in the following one (up to <see cref="MaxBatch"/>). Under load that replaces a round trip, a parse and a commit
/// per item with one per batch; alone, a caller waits for nobody. A batch that fails on an item's own fault
/// (<see cref="Db.IsRowFault"/>: a constraint, a refused value) is written again item by item, so only that item's
/// caller fails; any other failure (the database is away, a timeout) fails every caller of the batch at once rather
/// than trying each again against a database that does not answer. A batch PostgreSQL aborted to break a deadlock had
/// no effect and is written again (<see cref="DeadlockRetries"/> times).
/// </summary>
/// <remarks>
/// The shared statement cannot be cancelled by one caller's token: it runs to completion or to its command timeout.
/// </remarks>
public sealed class GroupCommit<TItem, TResult> : IAsyncDisposable
{
    /// <summary>Most items in one statement.</summary>
    public const int MaxBatch = 128;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly string _what;
    private readonly Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> _writeMany;
    private readonly ILogger _logger;
    private readonly Task[] _writers;

    /// <param name="what">What the items are, for the log ("new jobs").</param>
    /// <param name="writers">Statements in flight at once; two keep the round trip off the critical path.</param>
    /// <param name="writeMany">Writes the items in one statement and returns their results in the same order.</param>
    public GroupCommit(string what, int writers, Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> writeMany, ILogger logger)
    {
        _what = what;
        _writeMany = writeMany;
        _logger = logger;
        _writers = [.. Enumerable.Range(0, writers).Select(_ => Task.Run(WriteAsync))];
    }

    /// <summary>Completes once the item's statement committed, with its result; throws what the write threw.</summary>
    public Task<TResult> RunAsync(TItem item)
    {
        var pending = new Pending(item);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(GetType().Name, $"The process is stopping; no more {_what} are written.");
        }
        return pending.Done.Task;
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
                // Whatever happens, every caller taken here gets an answer and the loop goes on.
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(ex);
                }
            }
        }
    }

    /// <summary>Times a batch chosen as a deadlock's victim is written again before its callers get the error.</summary>
    private const int DeadlockRetries = 3;

    private async Task WriteBatchAsync(List<Pending> batch)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var results = await _writeMany([.. batch.Select(p => p.Item)]);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(results[i]);
                }
                return;
            }
            catch (Exception ex) when (Db.IsDeadlock(ex) && attempt < DeadlockRetries)
            {
                // Rare: the send records never wait (JobStore.MarkDispatchedAsync), so it takes two batches over the same
                // jobs at once (duplicate deliveries) in different orders. The other statement has finished by now.
                _logger.LogWarning(ex, "Writing {Count} {What} was a deadlock's victim; writing them again", batch.Count, _what);
            }
            catch (Exception ex) when (batch.Count > 1 && Db.IsRowFault(ex))
            {
                _logger.LogWarning(ex, "Writing {Count} {What} together failed on one of them; writing them one at a time", batch.Count, _what);
                break;
            }
        }
        foreach (var pending in batch)
        {
            try
            {
                pending.Done.TrySetResult((await _writeMany([pending.Item]))[0]);
            }
            catch (Exception ex)
            {
                pending.Done.TrySetException(ex);
            }
        }
    }

    /// <summary>Stops taking items and waits for those already taken to be written.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private sealed class Pending(TItem item)
    {
        public TItem Item { get; } = item;

        // Continuations run on the thread pool, not inline on the writer, which goes straight on to the next batch.
        public TaskCompletionSource<TResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
