using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Infrastructure.Data;
using Platform.Infrastructure.Hosting;
using Platform.Messages;

namespace Platform.Infrastructure.Jobs;

/// <summary>
/// The lifecycle every job consumer shares: skip a job that already ended (redelivery), mark it running,
/// heartbeat and watch for cancel while the work runs, and record how it ended. A job always ends:
/// succeeded (the work calls <see cref="JobStore.SucceedAsync"/>), failed with a reason, or cancelled.
/// </summary>
public sealed class JobRunner(JobStore jobs, IOptions<BusOptions> busOptions, ILogger<JobRunner> logger)
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(2);

    /// <param name="continuation">True for a later step of a multi-step job; it does not count as a new attempt.</param>
    public async Task RunAsync<T>(ConsumeContext<T> context, Guid jobId, Func<JobExecution, Task> work, bool continuation = false)
        where T : class
    {
        var job = await jobs.TryStartAsync(jobId, continuation, context.CancellationToken);
        if (job is null)
        {
            logger.LogInformation("Job {JobId} already ended or was cancelled; {Message} acknowledged without work",
                jobId, typeof(T).Name);
            return;
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = jobId, ["JobType"] = job.Type });
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        // Metrics wrap the work instead of editing each outcome path: completed work is "succeeded", otherwise the row says.
        var started = PlatformMetrics.Timestamp();
        var workCompleted = false;
        var measured = work;
        work = async execution => { await measured(execution); workCompleted = true; };
        using var stopWatching = new CancellationTokenSource();
        var watcher = WatchAsync(jobId, cancel, stopWatching.Token);
        try
        {
            await work(new JobExecution(job, jobs, cancel.Token));
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            await jobs.MarkCancelledAsync(jobId);
            logger.LogInformation("Job {JobId} cancelled on request", jobId);
        }
        catch (JobFailureException ex) when (ex.Permanent || IsLastAttempt(context))
        {
            await FailAsync(context, job, ex.ReasonCode, ex.Message);
            if (!ex.Permanent)
            {
                throw; // the message goes to the error queue, where it can be replayed
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException && IsLastAttempt(context))
        {
            await FailAsync(context, job, ReasonCodes.RetriesExhausted, $"{ex.GetType().Name}: {ex.Message}");
            throw;
        }
        finally
        {
            await stopWatching.CancelAsync();
            await watcher;
            await RecordOutcomeAsync(job, workCompleted, started);
        }
    }

    private async Task RecordOutcomeAsync(Job job, bool workCompleted, long started)
    {
        var outcome = PlatformMetrics.Outcomes.Succeeded;
        if (!workCompleted)
        {
            try
            {
                outcome = (await jobs.GetAsync(job.Id))?.Status switch
                {
                    JobStatus.Failed => PlatformMetrics.Outcomes.Failed,
                    JobStatus.Cancelled => PlatformMetrics.Outcomes.Cancelled,
                    _ => PlatformMetrics.Outcomes.Retried, // not ended: the message is retried or redelivered
                };
            }
            catch (Exception ex)
            {
                logger.LogDebug(ex, "Outcome of job {JobId} not read for metrics", job.Id);
                outcome = PlatformMetrics.Outcomes.Retried;
            }
        }
        PlatformMetrics.RecordJob(job.Type, outcome, Stopwatch.GetElapsedTime(started));
    }

    private bool IsLastAttempt<T>(ConsumeContext<T> context) where T : class =>
        context.GetRetryAttempt() >= busOptions.Value.RetryLimit;

    private async Task FailAsync<T>(ConsumeContext<T> context, Job job, string reasonCode, string message) where T : class
    {
        logger.LogWarning("Job {JobId} failed: {ReasonCode}: {Message}", job.Id, reasonCode, message);
        if (await jobs.FailAsync(job.Id, reasonCode, message))
        {
            await context.Publish(new JobFailed
            {
                JobId = job.Id, TenantId = job.TenantId, JobType = job.Type, ReasonCode = reasonCode, Message = message,
                CorrelationId = job.CorrelationId,
            });
        }
    }

    private async Task WatchAsync(Guid jobId, CancellationTokenSource cancel, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(HeartbeatInterval, stop);
                if (await jobs.HeartbeatAsync(jobId, stop) is false or null)
                {
                    continue;
                }
                await cancel.CancelAsync();
                return;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Heartbeat of job {JobId} failed; the work goes on", jobId);
        }
    }
}
