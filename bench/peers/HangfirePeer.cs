using System.Globalization;
using Platform.Bench.Throughput;

namespace Platform.Bench.Peers;

/// <summary>
/// Hangfire 1.8 with Hangfire.PostgreSql 1.21 (bench/peers/hangfire): a client process enqueues fire-and-forget no-op
/// jobs, a server process with <see cref="Settings.HangfireWorkers"/> workers runs them; completion is the job's
/// Succeeded state in PostgreSQL.
/// </summary>
public sealed class HangfirePeer(Settings settings) : IPeer
{
    public string Name => "hangfire-pg";

    private string Dll => Path.Combine(settings.Root, "bench/peers/hangfire/bin/Release/net10.0/Platform.Bench.Peers.Hangfire.dll");

    public async Task<Result> PipelineAsync(int round)
    {
        await using var env = await BenchEnvironment.CreateAsync();
        var ledger = Path.Combine(env.WorkDirectory, "ran.txt");
        await using var server = StartServer(env, ledger);
        return await Measure.PipelineAsync(Name, round, settings, env, () => new() { ["server"] = [server.Pid] }, [],
            (first, count) => EnqueueAsync(env, first, count),
            () => SucceededAsync(env),
            async total =>
            {
                await server.StopAsync();
                return await CheckAsync(env, ledger, total);
            });
    }

    public async Task<Result> DrainAsync(int round, long backlog)
    {
        await using var env = await BenchEnvironment.CreateAsync();
        var ledger = Path.Combine(env.WorkDirectory, "ran.txt");
        Child? server = null;
        try
        {
            return await Measure.DrainAsync(Name, round, backlog, env, () => new() { ["server"] = [server!.Pid] }, [],
                (first, count) => EnqueueAsync(env, first, count),
                () =>
                {
                    server = StartServer(env, ledger);
                    return Task.CompletedTask;
                },
                () => SucceededAsync(env),
                async total =>
                {
                    await server!.StopAsync();
                    return await CheckAsync(env, ledger, total);
                });
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }
    }

    private Child StartServer(BenchEnvironment env, string ledger) =>
        Child.Start("dotnet", [Dll, "server", env.ConnectionString, $"{settings.HangfireWorkers}", $"{settings.HangfirePollMs}", ledger],
            env.WorkDirectory, new Dictionary<string, string>(), Path.Combine(env.WorkDirectory, "hangfire-server.log"));

    /// <summary>Runs the enqueue process to its end; returns its CPU seconds while enqueueing (its own report).</summary>
    private async Task<double> EnqueueAsync(BenchEnvironment env, long first, long count)
    {
        var log = Path.Combine(env.WorkDirectory, "hangfire-enqueue.log");
        await using var enqueue = Child.Start("dotnet", [Dll, "enqueue", env.ConnectionString, $"{first}", $"{count}", $"{settings.Clients}"],
            env.WorkDirectory, new Dictionary<string, string>(), log);
        await enqueue.WaitAsync(TimeSpan.FromMinutes(10), log);
        return enqueue.ReportedCpuSeconds();
    }

    private static async Task<long> SucceededAsync(BenchEnvironment env)
    {
        try
        {
            return await env.ScalarAsync("SELECT count(*) FROM hangfire.job WHERE statename = 'Succeeded'");
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == "42P01")
        {
            return 0; // the schema is not installed yet
        }
    }

    /// <summary>Lost: numbers that never ran, or jobs not Succeeded. Duplicated: numbers that ran more than once.</summary>
    private static async Task<(long, long)> CheckAsync(BenchEnvironment env, string ledger, long total)
    {
        var (lost, duplicated) = Ledger.Check(1, total, Ledger.ReadFiles([ledger]));
        var notSucceeded = total - await SucceededAsync(env);
        return (Math.Max(lost, notSucceeded), duplicated);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} ({settings.HangfireWorkers} workers)");
}
