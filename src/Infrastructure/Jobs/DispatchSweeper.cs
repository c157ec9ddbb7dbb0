using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Infrastructure.Data;

namespace Platform.Infrastructure.Jobs;

/// <summary>Re-sends the command of any job that was recorded but whose send was never confirmed.</summary>
public sealed class DispatchSweeper(IServiceScopeFactory scopes, ILogger<DispatchSweeper> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Dispatch sweep failed; trying again in {Interval}", Interval);
            }
        }
    }

    public async Task<int> SweepAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var jobs = scope.ServiceProvider.GetRequiredService<JobStore>();
        var submitter = scope.ServiceProvider.GetRequiredService<JobSubmitter>();
        var stale = await jobs.ListUndispatchedAsync(Grace, 100, ct);
        foreach (var job in stale)
        {
            logger.LogWarning("Job {JobId} was recorded but never sent; sending it now", job.Id);
            await submitter.DispatchAsync(job, ct);
        }
        return stale.Count;
    }
}
