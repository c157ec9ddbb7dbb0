using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Data;

namespace Platform.Infrastructure.Jobs;

/// <summary>
/// Sends the commands of newly recorded jobs, off the request path and in batches. A submission returns once its row
/// is committed (the job is durable from then on); this loop takes what has been recorded since its last turn, checks
/// the tenants' in-flight limits with one query, sends the commands concurrently and records the sends with one
/// statement. A job it does not send (held by its tenant's limit, broker unreachable, process stopping) stays unsent
/// in the table, where the <see cref="DispatchSweeper"/> of any replica picks it up.
/// </summary>
public sealed class JobDispatcher(JobStore jobs, IBus bus, IOptions<JobOptions> options, ILogger<JobDispatcher> logger) : BackgroundService
{
    /// <summary>Most jobs sent in one turn.</summary>
    public const int BatchSize = 256;

    private readonly Channel<Queued> _queue = Channel.CreateBounded<Queued>(new BoundedChannelOptions(10 * BatchSize)
    {
        SingleReader = true, FullMode = BoundedChannelFullMode.Wait, // a full queue slows submitters down instead of growing
    });

    private readonly ConcurrentDictionary<Guid, byte> _pending = new();

    /// <summary>Queues a recorded job for sending. Waits while the queue is full.</summary>
    public async ValueTask EnqueueAsync(Job job, CancellationToken ct = default)
    {
        _pending.TryAdd(job.Id, 0);
        try
        {
            // The submitter's trace goes along, so the command still continues the request's trace.
            await _queue.Writer.WriteAsync(new Queued(job, Activity.Current?.Context), ct);
        }
        catch
        {
            _pending.TryRemove(job.Id, out _);
            throw;
        }
    }

    /// <summary>Whether this process is about to send the job (so the sweeper leaves it alone).</summary>
    public bool IsPending(Guid id) => _pending.ContainsKey(id);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Queued>(BatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < BatchSize && _queue.Reader.TryRead(out var job))
                {
                    batch.Add(job);
                }
                try
                {
                    await DispatchAsync(batch, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "{Count} jobs recorded but not sent yet; the dispatch sweeper will send them", batch.Count);
                }
                finally
                {
                    foreach (var queued in batch)
                    {
                        _pending.TryRemove(queued.Job.Id, out _);
                    }
                    batch.Clear();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is still queued here is recorded and unsent; a sweeper sends it.
        }
    }

    private async Task DispatchAsync(List<Queued> batch, CancellationToken ct)
    {
        var tenants = batch.Where(q => q.Job.TenantId != SystemTenant.Id).Select(q => q.Job.TenantId).Distinct().ToList();
        var inFlight = tenants.Count == 0 ? [] : await jobs.CountInFlightAsync(tenants, ct);
        var toSend = new List<Queued>(batch.Count);
        foreach (var queued in batch)
        {
            var job = queued.Job;
            var key = (job.TenantId, job.Type);
            if (job.TenantId != SystemTenant.Id && inFlight.GetValueOrDefault(key) >= options.Value.MaxInFlightPerTenant)
            {
                logger.LogInformation("Job {JobId} held: tenant {TenantId} has {Limit} {JobType} jobs in flight", job.Id, job.TenantId,
                    options.Value.MaxInFlightPerTenant, job.Type);
                continue;
            }
            inFlight[key] = inFlight.GetValueOrDefault(key) + 1;
            toSend.Add(queued);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(JobSubmitter.SendTimeout);
        var sent = await Task.WhenAll(toSend.Select(async queued =>
        {
            var job = queued.Job;
            using var trace = queued.Trace is { } parent
                ? new Activity("platform.job.dispatch").SetParentId(parent.TraceId, parent.SpanId, parent.TraceFlags).Start()
                : null;
            try
            {
                await bus.Send(JobCommands.For(job), timeout.Token);
                return job.Id;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Job {JobId} recorded but not sent yet; the dispatch sweeper will send it", job.Id);
                return Guid.Empty;
            }
        }));
        await jobs.MarkDispatchedAsync([.. sent.Where(id => id != Guid.Empty)], CancellationToken.None); // sent is sent, stopping or not
    }

    private sealed record Queued(Job Job, ActivityContext? Trace);
}

public static class JobSubmissionExtensions
{
    /// <summary>What a process that starts jobs needs: the submitter, and the dispatcher that sends their commands.</summary>
    public static IServiceCollection AddJobSubmission(this IServiceCollection services)
    {
        services.AddSingleton<JobDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<JobDispatcher>());
        services.AddSingleton<JobSubmitter>();
        return services;
    }
}
