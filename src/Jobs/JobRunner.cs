using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Messages;
using Platform.ServiceDefaults;

namespace Platform.Jobs;

/// <summary>
/// The lifecycle every job consumer shares. It claims the job (a redelivered or duplicate command finds it ended or
/// leased and does nothing), beats a heartbeat that doubles as the lease and the cancel check while the work runs,
/// and records how it ended. A job always ends: succeeded (the work calls <see cref="JobExecution.SucceedAsync"/>),
/// failed with a reason, or cancelled. A transient failure or a shutdown hands the job back before the message is
/// retried or redelivered.
/// </summary>
public sealed class JobRunner(JobStore jobs, IOptions<BusOptions> busOptions, IOptions<JobOptions> jobOptions, ILogger<JobRunner> logger)
{
    /// <param name="continuation">True for a later step of a multi-step job; it does not count as a new attempt.</param>
    public async Task RunAsync<T>(ConsumeContext<T> context, Guid jobId, Func<JobExecution, Task> work, bool continuation = false)
        where T : class
    {
        var (claim, job) = await jobs.TryStartAsync(jobId, continuation, jobOptions.Value.LeaseTimeout, context.CancellationToken);
        if (claim != JobClaim.Started)
        {
            if (claim == JobClaim.Ended)
            {
                await PublishOutcomeAsync(context, jobId);
            }
            logger.LogInformation("{Message} for job {JobId} acknowledged without work: the job is {Claim}", typeof(T).Name, jobId, claim);
            return;
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = jobId, ["JobType"] = job!.Type });
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        // Metrics wrap the work instead of editing each outcome path below; the outcome follows the same rules.
        var started = PlatformMetrics.Timestamp();
        var outcome = PlatformMetrics.Outcomes.Retried;
        var measured = work;
        work = async execution =>
        {
            try
            {
                await measured(execution);
                outcome = PlatformMetrics.Outcomes.Succeeded;
            }
            catch (Exception ex)
            {
                outcome = OutcomeOf(ex, context, cancel);
                throw;
            }
        };
        using var stopWatching = new CancellationTokenSource();
        var lease = new Lease();
        var watcher = WatchAsync(jobId, cancel, lease, stopWatching.Token);
        try
        {
            var execution = new JobExecution(job, jobs, cancel.Token, percent => PublishProgressAsync(context, job, percent));
            await work(execution);
            await PublishOutcomeAsync(context, jobId, execution.Ended);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            await jobs.ReleaseAsync(jobId);
            logger.LogWarning("Job {JobId} handed back: the process is stopping", jobId);
            throw;
        }
        catch (OperationCanceledException) when (lease.Lost)
        {
            logger.LogWarning("Job {JobId} stopped here: its lease was taken over after missed heartbeats", jobId);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await jobs.MarkCancelledAsync(jobId);
            await PublishOutcomeAsync(context, jobId);
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
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Job {JobId} failed transiently on attempt {Attempt}; retrying", jobId, context.GetRetryAttempt() + 1);
            await jobs.ReleaseAsync(jobId);
            throw;
        }
        finally
        {
            await stopWatching.CancelAsync();
            await watcher;
            PlatformMetrics.RecordJob(job!.Type, outcome, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>For metrics: how the work's exception ends this run (the catch blocks of RunAsync decide the same way).</summary>
    private string OutcomeOf<T>(Exception ex, ConsumeContext<T> context, CancellationTokenSource cancel) where T : class => ex switch
    {
        OperationCanceledException when context.CancellationToken.IsCancellationRequested => PlatformMetrics.Outcomes.Retried,
        OperationCanceledException when cancel.IsCancellationRequested => PlatformMetrics.Outcomes.Cancelled,
        JobFailureException f when f.Permanent || IsLastAttempt(context) => PlatformMetrics.Outcomes.Failed,
        not OperationCanceledException when IsLastAttempt(context) => PlatformMetrics.Outcomes.Failed,
        _ => PlatformMetrics.Outcomes.Retried,
    };

    private bool IsLastAttempt<T>(ConsumeContext<T> context) where T : class =>
        context.GetRetryAttempt() >= busOptions.Value.RetryLimit;

    private async Task FailAsync<T>(ConsumeContext<T> context, Job job, string reasonCode, string message) where T : class
    {
        logger.LogWarning("Job {JobId} failed: {ReasonCode}: {Message}", job.Id, reasonCode, message);
        if (await jobs.FailAsync(job.Id, reasonCode, message))
        {
            await context.PublishBoundedAsync(new JobFailed
            {
                JobId = job.Id, TenantId = job.TenantId, JobType = job.Type, ReasonCode = reasonCode, Message = message,
                CorrelationId = job.CorrelationId,
            });
        }
    }

    // Outcome and progress events for integrations. The outcome is read back from the row, so the event says what was
    // recorded; a command that finds its job already ended publishes it again, which makes publishing at least once
    // (a worker that died between recording and publishing is covered by the redelivery). Nothing while still running.
    private async Task PublishOutcomeAsync<T>(ConsumeContext<T> context, Guid jobId, Job? recorded = null) where T : class
    {
        var ended = recorded ?? await jobs.GetAsync(jobId);
        object? outcome = ended?.Status switch
        {
            JobStatus.Succeeded => new JobSucceeded
            {
                JobId = ended.Id, TenantId = ended.TenantId, JobType = ended.Type, DocumentId = ended.DocumentId, CorrelationId = ended.CorrelationId,
            },
            JobStatus.Cancelled => new JobCancelled
            {
                JobId = ended.Id, TenantId = ended.TenantId, JobType = ended.Type, CorrelationId = ended.CorrelationId,
            },
            JobStatus.Failed => new JobFailed
            {
                JobId = ended.Id, TenantId = ended.TenantId, JobType = ended.Type, ReasonCode = ended.ErrorCode ?? ReasonCodes.RetriesExhausted,
                Message = ended.ErrorMessage ?? "", CorrelationId = ended.CorrelationId,
            },
            _ => null,
        };
        if (outcome is not null)
        {
            await context.PublishBoundedAsync(outcome, outcome.GetType());
        }
    }

    private async Task PublishProgressAsync<T>(ConsumeContext<T> context, Job job, int percent) where T : class
    {
        try
        {
            await context.PublishBoundedAsync(new JobProgressed
            {
                JobId = job.Id, TenantId = job.TenantId, JobType = job.Type, Percent = Math.Clamp(percent, 0, 100), CorrelationId = job.CorrelationId,
            });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Progress is informative: a lost progress event must not fail the work.
            logger.LogWarning(ex, "Progress of job {JobId} not published", job.Id);
        }
    }

    /// <summary>Beats the heartbeat; cancels the work when a cancel is requested or the lease was taken over.</summary>
    private async Task WatchAsync(Guid jobId, CancellationTokenSource cancel, Lease lease, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                // Most jobs end before the first beat: waking up without an exception keeps that path cheap.
                await Task.Delay(JobTimings.LeaseHeartbeat, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (stop.IsCancellationRequested)
                {
                    return;
                }
                var cancelRequested = await jobs.HeartbeatAsync(jobId, stop);
                if (cancelRequested is false)
                {
                    continue;
                }
                lease.Lost = cancelRequested is null;
                await cancel.CancelAsync();
                return;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A database blip must not stop the beats, or the lease would expire under a healthy worker.
                logger.LogWarning(ex, "Heartbeat of job {JobId} failed; beating on", jobId);
            }
        }
    }

    private sealed class Lease
    {
        public bool Lost { get; set; }
    }
}
