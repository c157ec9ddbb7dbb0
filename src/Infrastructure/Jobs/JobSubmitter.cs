using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Data;

namespace Platform.Infrastructure.Jobs;

/// <summary>
/// Starts a job: the row is committed first, then its command is sent, then the send is recorded. If the process
/// dies between commit and send, or the broker is unreachable, <see cref="DispatchSweeper"/> sends it later;
/// consumers ignore a duplicate. Accepted work is never lost and the caller is not kept waiting on a dead broker.
/// </summary>
public sealed class JobSubmitter(JobStore jobs, IBus send, IOptions<JobOptions> options, ILogger<JobSubmitter> logger)
{
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(5);

    public async Task<Job> SubmitAsync(string tenantId, string type, object? input = null, Guid? documentId = null,
        Guid? correlationId = null, CancellationToken ct = default)
    {
        var job = await jobs.CreateAsync(tenantId, type, input is null ? null : Json.Serialize(input), documentId, correlationId, ct);
        if (tenantId != SystemTenant.Id
            && (await jobs.CountInFlightAsync(tenantId, type, ct)).GetValueOrDefault((tenantId, type)) >= options.Value.MaxInFlightPerTenant)
        {
            logger.LogInformation("Job {JobId} held: tenant {TenantId} has {Limit} {JobType} jobs in flight", job.Id, tenantId,
                options.Value.MaxInFlightPerTenant, type);
            return job;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(SendTimeout);
        try
        {
            await DispatchAsync(job, timeout.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Job {JobId} recorded but not sent yet; the dispatch sweeper will send it", job.Id);
        }
        return job;
    }

    /// <summary>
    /// Runs a failed or cancelled job again: back to queued (attempts kept, error cleared), then its command. A send
    /// that fails is left to the dispatch sweeper. False when the job has not ended badly.
    /// </summary>
    public async Task<bool> RetryAsync(Guid id, CancellationToken ct = default)
    {
        if (!await jobs.RequeueAsync(id, ct) || await jobs.GetAsync(id, ct: ct) is not { } job)
        {
            return false;
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(SendTimeout);
            await DispatchAsync(job, timeout.Token);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Job {JobId} requeued but not sent yet; the dispatch sweeper will send it", id);
        }
        return true;
    }

    public async Task DispatchAsync(Job job, CancellationToken ct = default)
    {
        await send.Send(JobCommands.For(job), ct);
        await jobs.MarkDispatchedAsync(job.Id, ct);
        logger.LogInformation("Job {JobId} ({JobType}) queued for tenant {TenantId}", job.Id, job.Type, job.TenantId);
    }
}
