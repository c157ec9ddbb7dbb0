using System.Reflection;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Data;
using Platform.Messages;

namespace Platform.Jobs;

/// <summary>
/// Records this process in <c>workers</c> every few seconds (host, role, version, pid, the command queues it consumes,
/// messages in flight), so the dashboard can list live processes and show one that stopped beating as lost.
/// </summary>
public sealed class WorkerHeartbeat(Db db, WorkerActivity activity, TimeProvider clock, ILogger<WorkerHeartbeat> logger)
    : BackgroundService
{
    public string Id { get; } = Guid.NewGuid().ToString("N");

    private readonly DateTimeOffset _startedAt = clock.GetUtcNow();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(JobTimings.WorkerBeat);
        do
        {
            try
            {
                await BeatAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Worker heartbeat failed; trying again in {WorkerBeat}", JobTimings.WorkerBeat);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task BeatAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var entry = Assembly.GetEntryAssembly()?.GetName();
        var version = Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? entry?.Version?.ToString() ?? "unknown";
        await db.ExecuteAsync(
            """
            INSERT INTO workers (id, host, role, version, pid, consumers, in_flight, started_at, last_heartbeat)
            VALUES (@Id, @host, @role, @version, @pid, @consumers, @inFlight, @startedAt, @now)
            ON CONFLICT (id) DO UPDATE SET consumers = @consumers, in_flight = @inFlight, last_heartbeat = @now, stopped_at = NULL
            """,
            new
            {
                Id, host = Environment.MachineName, role = entry?.Name ?? "unknown", version = version.Split('+')[0],
                pid = Environment.ProcessId, consumers = string.Join(",", activity.Queues), inFlight = activity.InFlight,
                startedAt = _startedAt, now,
            }, ct);
        await db.ExecuteAsync("DELETE FROM workers WHERE last_heartbeat < @before", new { before = now - JobTimings.WorkerForgetAfter }, ct);
    }

    public override async Task StopAsync(CancellationToken ct)
    {
        await base.StopAsync(ct);
        try
        {
            // A clean stop is shown as stopped, not lost.
            await db.ExecuteAsync("UPDATE workers SET stopped_at = @now WHERE id = @Id", new { Id, now = clock.GetUtcNow() }, ct);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not record the stop of this process");
        }
    }
}

/// <summary>What this process consumes: the command queues it receives from and the messages being consumed now.</summary>
public sealed class WorkerActivity : IReceiveEndpointObserver, IConsumeObserver
{
    private readonly HashSet<string> _queues = [];
    private int _inFlight;

    public IReadOnlyList<string> Queues
    {
        get
        {
            lock (_queues)
            {
                return _queues.Order().ToList();
            }
        }
    }

    public int InFlight => Math.Max(0, Volatile.Read(ref _inFlight));

    public Task Ready(ReceiveEndpointReady ready)
    {
        // Only the fixed command queues; the bus's own temporary endpoint is not worth showing.
        var name = ready.InputAddress.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (name is not null && QueueNames.All.Contains(name))
        {
            lock (_queues)
            {
                _queues.Add(name);
            }
        }
        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;

    public Task PreConsume<T>(ConsumeContext<T> context) where T : class
    {
        Interlocked.Increment(ref _inFlight);
        return Task.CompletedTask;
    }

    public Task PostConsume<T>(ConsumeContext<T> context) where T : class
    {
        Interlocked.Decrement(ref _inFlight);
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception) where T : class
    {
        Interlocked.Decrement(ref _inFlight);
        return Task.CompletedTask;
    }
}

public static class WorkerHeartbeatExtensions
{
    public static IServiceCollection AddWorkerHeartbeat(this IServiceCollection services)
    {
        services.AddSingleton<WorkerActivity>();
        services.AddReceiveEndpointObserver(sp => sp.GetRequiredService<WorkerActivity>());
        services.AddConsumeObserver(sp => sp.GetRequiredService<WorkerActivity>());
        services.AddSingleton<WorkerHeartbeat>();
        services.AddHostedService(sp => sp.GetRequiredService<WorkerHeartbeat>());
        return services;
    }
}
