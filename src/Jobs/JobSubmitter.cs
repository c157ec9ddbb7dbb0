using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Platform.Data;
using Platform.ServiceDefaults;

namespace Platform.Jobs;

/// <summary>
/// Starts a job: the row is committed (by <see cref="JobInserts"/>, with the rows of concurrent submissions), then the
/// job is handed to <see cref="JobDispatcher"/>, which sends its command in the next batch; the caller does not wait
/// for the broker. If the process dies before the send, or the broker is unreachable, <see cref="DispatchSweeper"/>
/// sends it later; consumers ignore a duplicate. Accepted work is never lost.
/// </summary>
public sealed class JobSubmitter(JobStore jobs, JobInserts inserts, JobDispatcher dispatcher, ILogger<JobSubmitter> logger)
{
    public async Task<Job> SubmitAsync(string tenantId, string type, object? input = null, Guid? documentId = null,
        Guid? correlationId = null, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var job = jobs.NewJob(tenantId, type, input is null ? null : Json.Serialize(input), documentId, correlationId);
        await inserts.InsertAsync(job); // committed before this returns; written together with concurrent submissions
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
}

public static class JobSubmissionExtensions
{
    /// <summary>What a process that starts jobs needs: the submitter, and the dispatcher that sends their commands.</summary>
    public static IServiceCollection AddJobSubmission(this IServiceCollection services)
    {
        services.AddSingleton<JobInserts>();
        services.AddSingleton<JobDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<JobDispatcher>());
        services.AddSingleton<JobSubmitter>();
        return services;
    }
}
