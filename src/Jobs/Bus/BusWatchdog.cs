using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Messages;

namespace Platform.Jobs;

/// <summary>
/// Notices a process whose bus no longer works although it looks connected: after a broker restart or a forced
/// connection close a MassTransit bus has been seen to stop sending, or to lose its consumers, while its own health
/// check still said ready. Every <see cref="BusOptions.WatchdogInterval"/> it publishes a ping the broker must confirm
/// (to an exchange nobody binds: nothing is queued), and it follows this host's command-queue endpoints. When either
/// has failed for longer than <see cref="BusOptions.WatchdogReadyAfter"/>, <c>/health/ready</c> turns unhealthy; past
/// <see cref="BusOptions.WatchdogLiveAfter"/>, <c>/health/live</c> too, so the orchestrator restarts the process. Jobs
/// it held are handed back by their leases and sent again: a restart loses nothing.
/// </summary>
public sealed class BusWatchdog(IServiceProvider services, IOptions<BusOptions> options, TimeProvider clock, ILogger<BusWatchdog> logger)
    : BackgroundService, IReceiveEndpointObserver
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _queuesDownSince = new();
    private DateTimeOffset? _sendFailingSince;
    private string? _sendProblem;
    private volatile bool _stopping;
    private int _reported; // 0 fine, 1 not ready, 2 not live: what was last logged

    /// <summary>Since when, and why, the bus has not worked; null while it works.</summary>
    public (DateTimeOffset Since, string Reason)? Problem
    {
        get
        {
            if (_stopping)
            {
                return null;
            }
            (DateTimeOffset Since, string Reason)? worst = _sendFailingSince is { } sending ? (sending, $"cannot send: {_sendProblem}") : null;
            foreach (var (queue, since) in _queuesDownSince)
            {
                if (worst is null || since < worst.Value.Since)
                {
                    worst = (since, $"queue {queue} has no consumer of this process");
                }
            }
            return worst;
        }
    }

    /// <summary>How long the current problem has lasted (zero when there is none).</summary>
    public TimeSpan ProblemAge => Problem is { } p ? clock.GetUtcNow() - p.Since : TimeSpan.Zero;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Resolved here, not injected: the bus is built with this watchdog as one of its endpoint observers.
        var bus = services.GetRequiredService<IBus>();
        var interval = options.Value.WatchdogInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(interval < JobTimings.SendTimeout ? interval : JobTimings.SendTimeout);
            try
            {
                await bus.Publish(new BusWatchdogPing(Environment.MachineName, Environment.ProcessId, clock.GetUtcNow()), timeout.Token);
                _sendFailingSince = null;
                _sendProblem = null;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                _sendProblem = ex is OperationCanceledException ? "the broker did not confirm a publish in time" : ex.Message;
                _sendFailingSince ??= clock.GetUtcNow();
            }
            Report();
            try
            {
                await Task.Delay(interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        return base.StopAsync(cancellationToken);
    }

    private void Report()
    {
        var problem = Problem;
        var age = ProblemAge;
        var level = problem is null ? 0 : age > options.Value.WatchdogLiveAfter ? 2 : age > options.Value.WatchdogReadyAfter ? 1 : 0;
        if (Interlocked.Exchange(ref _reported, level) == level)
        {
            return;
        }
        switch (level)
        {
            case 0:
                logger.LogInformation("Bus watchdog: the bus works again");
                break;
            case 1:
                logger.LogWarning("Bus watchdog: not ready, {Reason} for {Seconds:F0} s", problem!.Value.Reason, age.TotalSeconds);
                break;
            default:
                logger.LogError("Bus watchdog: asking for a restart (/health/live unhealthy), {Reason} for {Seconds:F0} s",
                    problem!.Value.Reason, age.TotalSeconds);
                break;
        }
    }

    Task IReceiveEndpointObserver.Ready(ReceiveEndpointReady ready)
    {
        if (CommandQueue(ready.InputAddress) is { } queue)
        {
            _queuesDownSince.TryRemove(queue, out _);
        }
        return Task.CompletedTask;
    }

    Task IReceiveEndpointObserver.Faulted(ReceiveEndpointFaulted faulted)
    {
        if (CommandQueue(faulted.InputAddress) is { } queue)
        {
            _queuesDownSince.TryAdd(queue, clock.GetUtcNow());
        }
        return Task.CompletedTask;
    }

    Task IReceiveEndpointObserver.Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    Task IReceiveEndpointObserver.Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    private static string? CommandQueue(Uri address) =>
        address.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() is { } name && QueueNames.All.Contains(name) ? name : null;

    /// <summary>The watchdog's verdict for one bound: ready or live.</summary>
    public sealed class Check(BusWatchdog watchdog, IOptions<BusOptions> options, bool live) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var bound = live ? options.Value.WatchdogLiveAfter : options.Value.WatchdogReadyAfter;
            var problem = watchdog.Problem;
            var age = watchdog.ProblemAge;
            return Task.FromResult(problem is null || age <= bound
                ? HealthCheckResult.Healthy(problem is null ? "bus works" : $"{problem.Value.Reason} for {age.TotalSeconds:F0} s")
                : HealthCheckResult.Unhealthy($"{problem.Value.Reason} for {age.TotalSeconds:F0} s"));
        }
    }
}

/// <summary>The watchdog's ping: published to its own exchange, which no queue binds, so the broker confirms and drops it.</summary>
public sealed record BusWatchdogPing(string Host, int Pid, DateTimeOffset SentAt);
