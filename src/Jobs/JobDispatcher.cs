using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.ServiceDefaults;

namespace Platform.Jobs;

/// <summary>
/// Sends the commands of newly recorded jobs, off the request path and in batches. A submission returns once its row
/// is committed (the job is durable from then on); this loop takes what has been recorded since its last turn, checks
/// the tenants' in-flight limits with one query, sends the commands concurrently and, a moment later
/// (<see cref="JobTimings.RecordDelay"/>), records the sends with one statement. A job it does not send (held by its tenant's
/// limit, broker unreachable, process stopping) stays unsent in the table, where the <see cref="DispatchSweeper"/> of
/// any replica picks it up.
/// </summary>
public sealed class JobDispatcher(JobStore jobs, IBus bus, TimeProvider clock, IOptions<JobOptions> options, ILogger<JobDispatcher> logger)
    : BackgroundService
{
    /// <summary>Most jobs sent in one turn.</summary>
    public const int BatchSize = 256;

    /// <summary>Most jobs waiting to be sent in this process.</summary>
    public const int Capacity = 16 * BatchSize;

    /// <summary>
    /// Jobs waiting to be sent. Bounded so a slow or absent broker cannot hold a growing pile in memory; what does not
    /// fit is left, recorded and unsent, to the sweeper. A submission never waits for room.
    /// </summary>
    private readonly Channel<Queued> _queue = Channel.CreateBounded<Queued>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true, FullMode = BoundedChannelFullMode.Wait,
    });

    /// <summary>Batches being sent at once.</summary>
    private const int ConcurrentBatches = 4;

    private readonly ConcurrentDictionary<Guid, byte> _pending = new();
    private readonly SemaphoreSlim _turns = new(ConcurrentBatches);
    private readonly Dictionary<(string TenantId, string Type), HashSet<Guid>> _unrecorded = []; // sent or being sent, not yet marked
    private readonly Dictionary<(string TenantId, string Type), InFlight> _counts = []; // also the lock of both

    /// <summary>Queues a recorded job for sending; false when the queue is full (the sweeper sends the job instead).</summary>
    public bool TryEnqueue(Job job)
    {
        if (TryWrite(job))
        {
            return true;
        }
        ReportOverflow();
        return false;
    }

    /// <summary>
    /// The sweeper's way in: its jobs go out in the same batches (concurrent sends, one statement to record them), so
    /// a backlog drains at the batch rate rather than a send and an update at a time. False when the queue is full;
    /// the sweeper stops its turn there and the rest waits for the next.
    /// </summary>
    public bool TryEnqueueSwept(Job job) => TryWrite(job);

    private bool TryWrite(Job job)
    {
        _pending.TryAdd(job.Id, 0);
        // The submitter's trace goes along, so the command still continues the request's trace.
        if (_queue.Writer.TryWrite(new Queued(job, Activity.Current?.Context)))
        {
            return true;
        }
        _pending.TryRemove(job.Id, out _);
        return false;
    }

    // One warning a second at most, with a count: under overload a line per job would flood the console logger,
    // whose full queue then blocks the very requests it logs for.
    private long _overflowed;
    private long _overflowReportedAt;

    private void ReportOverflow()
    {
        Interlocked.Increment(ref _overflowed);
        var now = clock.GetTimestamp();
        var last = Interlocked.Read(ref _overflowReportedAt);
        if (clock.GetElapsedTime(last, now) >= TimeSpan.FromSeconds(1)
            && Interlocked.CompareExchange(ref _overflowReportedAt, now, last) == last)
        {
            logger.LogWarning("{Count} jobs recorded but left to the dispatch sweeper: the send queue was full (the broker is slow or unreachable)",
                Interlocked.Exchange(ref _overflowed, 0));
        }
    }

    /// <summary>Whether this process is about to send the job (so the sweeper leaves it alone).</summary>
    public bool IsPending(Guid id) => _pending.ContainsKey(id);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Batches are chosen one after another (so each sees what the previous one took from a tenant's limit) and sent
        // a few at a time: a turn waits for its confirms, and the next turn need not wait for that.
        var sending = new List<Task>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await _turns.WaitAsync(stoppingToken);
                var batch = new List<Queued>(BatchSize);
                while (batch.Count < BatchSize && _queue.Reader.TryRead(out var job))
                {
                    batch.Add(job);
                }
                List<Queued> toSend;
                try
                {
                    toSend = await ChooseAsync(batch, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "{Count} jobs recorded but not sent yet; the dispatch sweeper will send them", batch.Count);
                    Done(batch);
                    _turns.Release();
                    continue;
                }
                sending.RemoveAll(t => t.IsCompleted);
                sending.Add(SendAsync(batch, toSend, clock.GetUtcNow(), stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is still queued here is recorded and unsent; a sweeper sends it.
        }
        await Task.WhenAll(sending);
    }

    /// <summary>
    /// The jobs of the batch their tenants' limits allow. A tenant's in-flight count is read from the database at most
    /// once per <see cref="JobOptions.DispatchInterval"/> (with a backlog of thousands, counting per batch cost more than
    /// the sends); between reads this process adds what it sends. Completions show at the next read, so a tenant at its
    /// limit may wait up to an interval longer, and held jobs are the sweeper's anyway.
    /// </summary>
    /// <remarks>
    /// Jobs this process sent but has not recorded yet (<see cref="JobTimings.RecordDelay"/>) are not in the
    /// database's count while still queued. Adding all of them is cheap and errs high: those a worker claimed (the
    /// claim records the send) or that already ended are counted twice or for nothing. Whenever such an estimate would
    /// hold jobs of a batch, at the read or later in the interval, the count is read again exactly, with the ids
    /// (<see cref="CountExactlyWhereHeldAsync"/>), so a tenant with short jobs is not held below its limit for the length
    /// of the record delay.
    /// </remarks>
    private async Task<List<Queued>> ChooseAsync(List<Queued> batch, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var keys = batch.Where(q => q.Job.TenantId != SystemTenant.Id).Select(q => (q.Job.TenantId, q.Job.Type)).Distinct().ToList();
        List<(string TenantId, string Type)> stale;
        lock (_counts)
        {
            if (_counts.Count > 10_000)
            {
                // Tenants come and go; every count is re-read on its next use. Cleared here, before this batch's keys are
                // chosen for reading, so every key of the batch is read below (a clear after the read dropped fresh keys).
                _counts.Clear();
            }
            stale = [.. keys.Where(k => !_counts.TryGetValue(k, out var c) || now - c.ReadAt >= options.Value.DispatchInterval)];
        }
        if (stale.Count > 0)
        {
            var read = await jobs.CountInFlightAsync([.. stale.Select(k => k.TenantId).Distinct()], ct);
            lock (_counts)
            {
                foreach (var key in stale)
                {
                    var unrecorded = _unrecorded.TryGetValue(key, out var ids) ? ids.Count : 0;
                    _counts[key] = new InFlight(read.GetValueOrDefault(key) + unrecorded, now, estimated: unrecorded > 0);
                }
            }
        }
        await CountExactlyWhereHeldAsync(batch, ct);
        var toSend = new List<Queued>(batch.Count);
        Dictionary<(string TenantId, string Type), int>? held = null;
        lock (_counts)
        {
            foreach (var queued in batch)
            {
                var job = queued.Job;
                var key = (job.TenantId, job.Type);
                if (job.TenantId != SystemTenant.Id)
                {
                    var inFlight = _counts[key];
                    if (inFlight.Count >= options.Value.MaxInFlightPerTenant)
                    {
                        held ??= [];
                        held[key] = held.GetValueOrDefault(key) + 1;
                        continue;
                    }
                    inFlight.Count++;
                }
                if (!_unrecorded.TryGetValue(key, out var unrecorded))
                {
                    _unrecorded[key] = unrecorded = [];
                }
                unrecorded.Add(job.Id);
                toSend.Add(queued);
            }
        }
        // A line per tenant and batch, not per job: a tenant submitting thousands over its limit would flood the log.
        foreach (var ((tenant, type), count) in held ?? [])
        {
            logger.LogInformation("{Count} {JobType} jobs held: tenant {TenantId} has {Limit} in flight; the sweeper sends them as room frees",
                count, type, tenant, options.Value.MaxInFlightPerTenant);
        }
        return toSend;
    }

    /// <summary>
    /// Reads again, exactly, the count of each tenant whose estimate (<see cref="ChooseAsync"/>) would hold jobs of
    /// this batch, so that only a tenant really at its limit is held.
    /// </summary>
    private async Task CountExactlyWhereHeldAsync(List<Queued> batch, CancellationToken ct)
    {
        List<(string TenantId, string Type)> held;
        List<Guid> unrecorded;
        lock (_counts)
        {
            held = [.. batch.Where(q => q.Job.TenantId != SystemTenant.Id).GroupBy(q => (q.Job.TenantId, q.Job.Type))
                .Where(g => _counts.TryGetValue(g.Key, out var c) && c.Estimated && c.Count + g.Count() > options.Value.MaxInFlightPerTenant)
                .Select(g => g.Key)];
            unrecorded = [.. held.SelectMany(k => _unrecorded.GetValueOrDefault(k) ?? [])];
        }
        if (held.Count == 0)
        {
            return;
        }
        var exact = await jobs.CountInFlightAsync([.. held.Select(k => k.TenantId).Distinct()], ct, unrecorded);
        var now = clock.GetUtcNow();
        lock (_counts)
        {
            foreach (var key in held)
            {
                _counts[key] = new InFlight(exact.GetValueOrDefault(key), now, estimated: false);
            }
        }
    }

    private async Task SendAsync(List<Queued> batch, List<Queued> toSend, DateTimeOffset chosenAt, CancellationToken ct)
    {
        var turnReleased = false;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(JobTimings.SendTimeout);
            Exception? firstFailure = null;
            var sent = await Task.WhenAll(toSend.Select(async queued =>
            {
                var job = queued.Job;
                // The submitter's trace: the command continues the request's trace, as if sent from the request.
                using var trace = queued.Trace is { } parent
                    ? PlatformMetrics.ActivitySource.StartActivity("job.dispatch", ActivityKind.Producer, parent)
                    : null;
                trace?.SetTag("platform.job.id", job.Id).SetTag("platform.job.type", job.Type);
                try
                {
                    await bus.Send(JobCommands.For(job), timeout.Token);
                    return job.Id;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    Interlocked.CompareExchange(ref firstFailure, ex, null);
                    return Guid.Empty;
                }
                catch (OperationCanceledException)
                {
                    return Guid.Empty; // stopping: the sweeper of any replica sends it
                }
            }));
            if (firstFailure is not null)
            {
                // One line per batch, not per job: with the broker down, a line per job would flood the log.
                logger.LogWarning(firstFailure, "{Count} of {Total} jobs recorded but not sent yet (first error shown); the dispatch sweeper will send them",
                    sent.Count(id => id == Guid.Empty), toSend.Count);
            }
            // The broker has the commands: the next batch may go while this one waits to be recorded.
            _turns.Release();
            turnReleased = true;
            await Task.Delay(JobTimings.RecordDelay, clock, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            // Sent is sent, stopping or not. A job changed since it was queued (retried, requeued) is left unmarked:
            // marking it would hide a later unsent state from the sweeper.
            await jobs.MarkDispatchedAsync([.. sent.Where(id => id != Guid.Empty)], CancellationToken.None, unchangedSince: chosenAt);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Sends of {Count} jobs not recorded; the dispatch sweeper may send them again (consumers ignore duplicates)",
                toSend.Count);
        }
        finally
        {
            lock (_counts)
            {
                foreach (var queued in toSend)
                {
                    var key = (queued.Job.TenantId, queued.Job.Type);
                    if (_unrecorded.TryGetValue(key, out var unrecorded) && unrecorded.Remove(queued.Job.Id) && unrecorded.Count == 0)
                    {
                        _unrecorded.Remove(key);
                    }
                }
            }
            Done(batch);
            if (!turnReleased)
            {
                _turns.Release();
            }
        }
    }

    private void Done(List<Queued> batch)
    {
        foreach (var queued in batch)
        {
            _pending.TryRemove(queued.Job.Id, out _);
        }
    }

    private sealed record Queued(Job Job, ActivityContext? Trace);

    /// <param name="estimated">Read with every unrecorded send added, so possibly high; see <see cref="ChooseAsync"/>.</param>
    private sealed class InFlight(int count, DateTimeOffset readAt, bool estimated)
    {
        public int Count { get; set; } = count;

        public DateTimeOffset ReadAt { get; } = readAt;

        public bool Estimated { get; } = estimated;
    }
}
