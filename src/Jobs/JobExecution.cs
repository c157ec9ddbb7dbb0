using Platform.Data;

namespace Platform.Jobs;

/// <summary>What job work sees of its job: the row, a token that fires on cancel or shutdown, and a progress reporter.</summary>
public sealed class JobExecution(Job job, JobStore jobs, CancellationToken cancellationToken, Func<int, Task>? progressed = null)
{
    public Job Job { get; } = job;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>The row as recorded by <see cref="SucceedAsync"/>, so the outcome event needs no second read.</summary>
    public Job? Ended { get; private set; }

    /// <summary>Records that the job succeeded, with its result (JSON or null). False when it was no longer running.</summary>
    public async Task<bool> SucceedAsync(string? result = null, CancellationToken? cancellationToken = null)
    {
        Ended = await jobs.SucceedReturningAsync(Job.Id, result, cancellationToken ?? CancellationToken);
        return Ended is not null;
    }

    /// <summary>Records progress as a percentage; also serves as a heartbeat. Published as JobProgressed when recorded.</summary>
    public async Task ReportProgressAsync(int percent)
    {
        if (await jobs.ReportProgressAsync(Job.Id, percent, CancellationToken) && progressed is not null)
        {
            await progressed(percent);
        }
    }

    /// <summary>Records progress as <paramref name="done"/> of <paramref name="total"/> steps.</summary>
    public Task ReportProgressAsync(int done, int total) =>
        ReportProgressAsync(total <= 0 ? 0 : (int)(100L * done / total));
}
