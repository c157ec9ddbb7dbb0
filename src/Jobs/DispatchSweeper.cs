using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Messages;

namespace Platform.Jobs;

/// <summary>
/// Keeps every recorded job moving, from the API process (several replicas may run it; each change is a
/// conditional update). Every <see cref="JobOptions.DispatchInterval"/> it sends queued jobs that are not on the
/// broker, oldest first, within each tenant's in-flight limit; every few seconds it re-queues running jobs whose
/// worker stopped beating. After a restart on the in-memory bus it first re-sends everything unfinished.
/// </summary>
public sealed class DispatchSweeper(
    IServiceScopeFactory scopes, JobDispatcher dispatcher, IOptions<JobOptions> options, IOptions<BusOptions> bus, ILogger<DispatchSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!bus.Value.UsesRabbitMq)
        {
            await ResendAfterRestartAsync(stoppingToken);
        }
        var lastRecovery = DateTime.MinValue;
        using var timer = new PeriodicTimer(options.Value.DispatchInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (DateTime.UtcNow - lastRecovery > JobTimings.SweepInterval)
                {
                    await RecoverLostAsync(stoppingToken);
                    lastRecovery = DateTime.UtcNow;
                }
                await DispatchAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Job sweep failed; trying again in {Interval}", options.Value.DispatchInterval);
            }
        }
    }

    /// <summary>
    /// Hands held and unsent jobs to the dispatcher while their tenant has room; it sends them in its next batches.
    /// Returns how many were handed over.
    /// </summary>
    public async Task<int> DispatchAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var jobs = scope.ServiceProvider.GetRequiredService<JobStore>();
        var waiting = await jobs.ListUndispatchedAsync(JobTimings.SweeperGrace, JobDispatcher.Capacity / 2, ct, perTenant: options.Value.MaxInFlightPerTenant);
        if (waiting.Count == 0)
        {
            return 0;
        }
        var inFlight = await jobs.CountInFlightAsync(ct: ct);
        var sent = 0;
        foreach (var job in waiting)
        {
            var key = (job.TenantId, job.Type);
            if (dispatcher.IsPending(job.Id))
            {
                continue; // this process is about to send it
            }
            if (job.TenantId != SystemTenant.Id && inFlight.GetValueOrDefault(key) >= options.Value.MaxInFlightPerTenant)
            {
                continue;
            }
            if (!dispatcher.TryEnqueueSwept(job))
            {
                break; // the dispatcher is full (a slow broker): the rest waits for the next turn
            }
            inFlight[key] = inFlight.GetValueOrDefault(key) + 1;
            sent++;
        }
        if (sent > 0)
        {
            logger.LogInformation("{Count} unsent jobs handed to the dispatcher by the sweeper", sent);
        }
        return sent;
    }

    private async Task RecoverLostAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var jobs = scope.ServiceProvider.GetRequiredService<JobStore>();
        var (requeued, failed) = await jobs.RecoverLostAsync(options.Value.LeaseTimeout, options.Value.MaxAttempts, ct);
        if (requeued > 0)
        {
            logger.LogWarning("{Count} running jobs lost their worker (no heartbeat for {Lease}); queued again", requeued, options.Value.LeaseTimeout);
        }
        var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        foreach (var job in failed)
        {
            logger.LogWarning("Job {JobId} failed: worker_lost after {Attempts} attempts", job.Id, job.Attempts);
            await publish.Publish(new JobFailed
            {
                JobId = job.Id, TenantId = job.TenantId, JobType = job.Type, ReasonCode = ReasonCodes.WorkerLost,
                Message = job.ErrorMessage ?? "worker lost", CorrelationId = job.CorrelationId,
            }, ct);
        }
    }

    private async Task ResendAfterRestartAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var count = await scope.ServiceProvider.GetRequiredService<JobStore>().ResetUnfinishedForResendAsync(ct);
        if (count > 0)
        {
            logger.LogWarning("In-memory bus: {Count} unfinished jobs from before the restart will be sent again", count);
        }
    }
}
