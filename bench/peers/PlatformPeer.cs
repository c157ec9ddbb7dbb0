using System.Net;
using Platform.Bench.Throughput;

namespace Platform.Bench.Peers;

/// <summary>
/// The platform: probe jobs (POST /api/v1/probes: job row, command on RabbitMQ, a worker claims it under a lease and
/// records success, the JobSucceeded event) through one API process and one Workers.Ingest process.
/// <paramref name="variant"/>: system <c>platform-env</c>, the same build with the environment of
/// <c>--platform-env "K=V;K=V"</c> added to both hosts (runtime settings such as <c>DOTNET_TieredPGO=0</c>), to measure a
/// setting side by side with the platform as it ships.
/// </summary>
public sealed class PlatformPeer(Settings settings, bool variant = false) : IPeer
{
    public string Name => variant ? "platform-env" : "platform";

    private static readonly string[] Shared = ["rabbitmq", "redis"];

    public async Task<Result> PipelineAsync(int round)
    {
        await using var env = await BenchEnvironment.CreateAsync();
        var hostSettings = HostSettings(env);
        await using var api = await HostRunner.StartAsync("Api", hostSettings, env.WorkDirectory);
        await using var worker = await HostRunner.StartAsync("Workers.Ingest", hostSettings, env.WorkDirectory);
        var submitted = 0L;
        return await Measure.PipelineAsync(Name, round, settings, env,
            () => new() { ["client"] = [Environment.ProcessId], ["api"] = [api.Pid], ["worker"] = [worker.Pid] }, Shared,
            async (_, count) =>
            {
                submitted += await SubmitAsync(api.BaseAddress, count, settings.Clients);
                return 0;
            },
            async () => submitted - await UnfinishedAsync(env),
            total => CheckAsync(env, total), Allocations(api, worker));
    }

    public async Task<Result> DrainAsync(int round, long backlog)
    {
        await using var env = await BenchEnvironment.CreateAsync();
        var hostSettings = HostSettings(env);
        await using var api = await HostRunner.StartAsync("Api", hostSettings, env.WorkDirectory);
        HostRunner? worker = null;
        try
        {
            return await Measure.DrainAsync(Name, round, backlog, env,
                () => new() { ["api"] = [api.Pid], ["worker"] = [worker!.Pid] }, Shared,
                async (_, count) =>
                {
                    await SubmitAsync(api.BaseAddress, count, settings.Clients);
                    await Waiting.UntilAsync(() => env.ScalarAsync("SELECT count(*) FROM jobs WHERE dispatched_at IS NOT NULL"), count,
                        TimeSpan.FromMinutes(2), everyMs: 500);
                    return 0;
                },
                async () => worker = await HostRunner.StartAsync("Workers.Ingest", hostSettings, env.WorkDirectory, waitReady: false),
                async () => backlog - await UnfinishedAsync(env),
                total => CheckAsync(env, total), () => Allocations(api, worker!)());
        }
        finally
        {
            if (worker is not null)
            {
                await worker.DisposeAsync();
            }
        }
    }

    private Dictionary<string, string> HostSettings(BenchEnvironment env) => env.Settings(new Dictionary<string, string>
    {
        ["Jobs__MaxInFlightPerTenant"] = "10000000", // fairness holds would meter the single benchmark tenant
        ["Bus__PrefetchCount"] = $"{settings.PlatformPrefetch}",
    }.Concat(variant ? settings.PlatformEnvironment : []).ToDictionary());

    /// <summary>Bytes each host allocated over the window, per job (the runtime's counter, from /metrics).</summary>
    /// A scrape that times out (a loaded machine) gives NaN rather than ending the run.
    private static Profile Allocations(HostRunner api, HostRunner worker) => async () =>
    {
        var apiBefore = await AllocatedAsync(api);
        var workerBefore = await AllocatedAsync(worker);
        return async jobs =>
            $"allocated per job: api {(await AllocatedAsync(api) - apiBefore) / jobs / 1024:F1} KB, " +
            $"worker {(await AllocatedAsync(worker) - workerBefore) / jobs / 1024:F1} KB";
    };

    private static async Task<double> AllocatedAsync(HostRunner host)
    {
        try
        {
            return await host.MetricAsync("dotnet_gc_heap_total_allocated_bytes_total") ?? double.NaN;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return double.NaN;
        }
    }

    /// <summary>Queued or running jobs, read from the partial indexes (cheap at any table size).</summary>
    private static Task<long> UnfinishedAsync(BenchEnvironment env) => env.ScalarAsync(
        """
        SELECT (SELECT count(*) FROM jobs WHERE status = 'queued' AND dispatched_at IS NULL)
             + (SELECT count(*) FROM jobs WHERE status IN ('queued', 'running') AND dispatched_at IS NOT NULL)
        """);

    /// <summary>Lost: accepted jobs that did not succeed. Duplicated: jobs claimed more than once (a second execution).</summary>
    private static async Task<(long, long)> CheckAsync(BenchEnvironment env, long total) =>
        (total - await env.ScalarAsync("SELECT count(*) FROM jobs WHERE status = 'succeeded'"),
            await env.ScalarAsync("SELECT count(*) FROM jobs WHERE attempts > 1"));

    /// <summary>Submits probes from <paramref name="clients"/> concurrent HTTP clients; every answer must be 202.</summary>
    private static async Task<long> SubmitAsync(Uri api, long jobs, int clients)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = api };
        http.DefaultRequestHeaders.Add("X-Api-Key", BenchEnvironment.ApiKey);
        var next = 0L;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= jobs)
            {
                using var response = await http.PostAsync("api/v1/probes", null);
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    throw new InvalidOperationException($"probe submission answered {(int)response.StatusCode}");
                }
            }
        }));
        return jobs;
    }
}
