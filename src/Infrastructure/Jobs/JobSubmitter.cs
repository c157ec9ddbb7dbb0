using MassTransit;
using Microsoft.Extensions.Logging;
using Platform.Infrastructure.Data;

namespace Platform.Infrastructure.Jobs;

/// <summary>
/// Starts a job: the row is committed, then the job is handed to <see cref="JobDispatcher"/>, which sends its command
/// in the next batch; the caller does not wait for the broker. If the process dies before the send, or the broker is
/// unreachable, <see cref="DispatchSweeper"/> sends it later; consumers ignore a duplicate. Accepted work is never lost.
/// </summary>
public sealed class JobSubmitter(JobStore jobs, JobDispatcher dispatcher, IBus send, ILogger<JobSubmitter> logger)
{
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(5);

    public async Task<Job> SubmitAsync(string tenantId, string type, object? input = null, Guid? documentId = null,
        Guid? correlationId = null, CancellationToken ct = default)
    {
        var job = await jobs.CreateAsync(tenantId, type, input is null ? null : Json.Serialize(input), documentId, correlationId, ct);
        logger.LogInformation("Job {JobId} ({JobType}) accepted for tenant {TenantId}", job.Id, job.Type, job.TenantId);
        dispatcher.TryEnqueue(job); // when its queue is full (a slow or absent broker), the job is the sweeper's
        return job;
    }

    /// <summary>
    /// Runs a failed or cancelled job again: back to queued (attempts kept, error cleared), then its command. A send
    /// that does not happen is left to the dispatch sweeper. False when the job has not ended badly.
    /// </summary>
    public async Task<bool> RetryAsync(Guid id, CancellationToken ct = default)
    {
        if (!await jobs.RequeueAsync(id, ct) || await jobs.GetAsync(id, ct: ct) is not { } job)
        {
            return false;
        }
        logger.LogInformation("Job {JobId} ({JobType}) queued again", job.Id, job.Type);
        dispatcher.TryEnqueue(job); // when its queue is full (a slow or absent broker), the job is the sweeper's
        return true;
    }

    /// <summary>Sends one job's command now and records the send (the sweeper's path).</summary>
    public async Task DispatchAsync(Job job, CancellationToken ct = default)
    {
        await send.Send(JobCommands.For(job), ct);
        await jobs.MarkDispatchedAsync(job.Id, ct);
        logger.LogInformation("Job {JobId} ({JobType}) sent by the dispatch sweeper", job.Id, job.Type);
    }
}
