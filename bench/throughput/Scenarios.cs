using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Platform.Bench.Throughput;

public static partial class Scenarios
{
    private const string Succeeded = "SELECT count(*) FROM jobs WHERE status = 'succeeded'";
    private const string Dispatched = "SELECT count(*) FROM jobs WHERE dispatched_at IS NOT NULL";
    private const string Unsent = "SELECT count(*) FROM jobs WHERE dispatched_at IS NULL";

    /// <summary>Fairness holds would meter a single benchmark tenant; the path, not the hold, is measured.</summary>
    /// <remarks>
    /// Above every backlog a run builds: the submit scenario leaves hundreds of thousands of jobs queued with no worker,
    /// and at 100,000 the dispatcher held (did not send) the rest, so flat-out rounds measured submissions without
    /// their sends.
    /// </remarks>
    private static readonly Dictionary<string, string> Unthrottled = new() { ["Jobs__MaxInFlightPerTenant"] = "10000000" };

    /// <summary>Raw broker rate and platform pipeline rate, rounds alternating; the goal is platform ≥ 50 % of raw.</summary>
    public static async Task BusAsync(Options options)
    {
        Console.WriteLine($"## bus: {options.BusMessages} messages/jobs per round after a warm-up, {options.Concurrency} concurrent publishers/clients, prefetch {options.Prefetch}");
        var ratios = new List<double>();
        for (var round = 1; round <= options.Rounds; round++)
        {
            double raw;
            Dictionary<string, double> rawCpu;
            await using (var env = await BenchEnvironment.CreateAsync())
            {
                await RawBus.MessagesPerSecondAsync(env.AmqpUri, options.BusMessages / 2, options.Concurrency, (ushort)options.Prefetch); // warm-up
                var before = CpuUsage.Snapshot(CpuUsage.Groups(Client));
                raw = await RawBus.MessagesPerSecondAsync(env.AmqpUri, options.BusMessages, options.Concurrency, (ushort)options.Prefetch);
                rawCpu = CpuUsage.Delta(Client, before);
            }
            var (platform, worker, cpu) = await PipelineAsync(options.BusMessages, options.Concurrency, options.Prefetch);
            ratios.Add(platform / raw);
            Console.WriteLine($"round {round}: raw {raw:F0} msg/s, platform {platform:F0} jobs/s, ratio {platform / raw:F2}; worker {worker}");
            Console.WriteLine($"round {round}: CPU ms per message, raw: {PerItem(rawCpu, options.BusMessages)}");
            Console.WriteLine($"round {round}: CPU ms per job, platform: {PerItem(cpu, options.BusMessages)}");
            // The broker's cost per message grows as its rate falls (fewer messages per wake-up, socket read and disk
            // write), so raw is also run at the platform's rate: what the same traffic costs RabbitMQ without the platform.
            await using (var env = await BenchEnvironment.CreateAsync())
            {
                var before = CpuUsage.Snapshot(CpuUsage.Groups(Client));
                var paced = await RawBus.MessagesPerSecondAsync(env.AmqpUri, options.BusMessages, options.Concurrency, (ushort)options.Prefetch,
                    pacedRate: platform);
                Console.WriteLine($"round {round}: CPU ms per message, raw paced at the platform's rate ({paced:F0} msg/s): " +
                    PerItem(CpuUsage.Delta(Client, before), options.BusMessages));
            }
        }
        Console.WriteLine($"bus ratio platform/raw: median {Median(ratios):F2} (rounds {string.Join(", ", ratios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))}); goal >= 0.50");
    }

    /// <summary>This process: the load generator (HTTP clients, or RabbitMQ.Client's publishers and consumer for raw).</summary>
    private static Dictionary<string, IReadOnlyList<int>> Client => new() { ["client"] = [Environment.ProcessId] };

    /// <summary>CPU milliseconds per item of each group, and their sum: what one job costs the whole machine.</summary>
    private static string PerItem(Dictionary<string, double> cpu, long items) =>
        string.Join(", ", cpu.Where(g => g.Key != "redis").Select(g => $"{g.Key} {1000 * g.Value / items:F2}")) +
        $" (sum {1000 * cpu.Values.Sum() / items:F2})";

    /// <summary>
    /// API submit → broker → one worker → succeeded in PostgreSQL, once warm (<see cref="WarmUpPipelineAsync"/>). Jobs
    /// per second, the worker's cost, and the CPU of every process group over the measured jobs.
    /// </summary>
    private static async Task<(double Rate, CostPerJob Worker, Dictionary<string, double> Cpu)> PipelineAsync(int jobs, int concurrency,
        int prefetch)
    {
        await using var env = await BenchEnvironment.CreateAsync();
        var settings = env.Settings(new Dictionary<string, string>(Unthrottled) { ["Bus__PrefetchCount"] = $"{prefetch}" });
        await using var api = await HostRunner.StartAsync("Api", settings, env.WorkDirectory);
        await using var worker = await HostRunner.StartAsync("Workers.Ingest", settings, env.WorkDirectory);
        var warmUp = await WarmUpPipelineAsync(env, api, worker, concurrency);
        await env.VacuumAnalyzeAsync();

        var hosts = new Dictionary<string, IReadOnlyList<int>>(Client) { ["api"] = [api.Pid], ["worker"] = [worker.Pid] };
        var before = await CostPerJob.SnapshotAsync(worker);
        var apiBefore = await CostPerJob.SnapshotAsync(api);
        var updatesBefore = await env.RowUpdatesAsync();
        var cpuBefore = CpuUsage.Snapshot(CpuUsage.Groups(hosts));
        var stopwatch = Stopwatch.StartNew();
        await SubmitAsync(api.BaseAddress, jobs, concurrency);
        // Every job is recorded once its request returns, so none left unfinished means all ended. Counting the few
        // unfinished rows, not the tens of thousands succeeded, keeps the poll's own cost out of PostgreSQL's figure.
        await Require(env.WaitForNoUnfinishedAsync(TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(20)), "jobs did not finish");
        var rate = jobs / stopwatch.Elapsed.TotalSeconds;
        var cpu = CpuUsage.Delta(hosts, cpuBefore);
        await Require(env.WaitForAsync(Succeeded, warmUp + jobs, TimeSpan.Zero), "some jobs did not succeed");
        Console.WriteLine($"  PostgreSQL row updates per job: {(double)(await env.RowUpdatesAsync() - updatesBefore) / jobs:F2}; " +
            $"api {await CostPerJob.SinceAsync(api, apiBefore, jobs)}");
        return (rate, await CostPerJob.SinceAsync(worker, before, jobs), cpu);
    }

    /// <summary>
    /// Runs the pipeline in steps of 2,000 jobs until the JIT has settled in both hosts: less than 2 % of a core spent
    /// compiling during a step, or 40 steps. Profiled, a fresh API and worker still spent over half their CPU in the
    /// JIT and the runtime's tiering 15 s into a run, which a process that runs for hours pays once. Returns the jobs run.
    /// </summary>
    private static async Task<int> WarmUpPipelineAsync(BenchEnvironment env, HostRunner api, HostRunner worker, int concurrency)
    {
        const string jit = "dotnet_jit_compilation_time_seconds_total";
        const int step = 2000;
        var done = 0;
        for (var i = 0; i < 40; i++)
        {
            var before = (await api.MetricAsync(jit) ?? 0) + (await worker.MetricAsync(jit) ?? 0);
            var stopwatch = Stopwatch.StartNew();
            await SubmitAsync(api.BaseAddress, step, concurrency);
            done += step;
            await Require(env.WaitForNoUnfinishedAsync(TimeSpan.FromMinutes(2)), "warm-up jobs did not finish");
            var share = ((await api.MetricAsync(jit) ?? 0) + (await worker.MetricAsync(jit) ?? 0) - before) / stopwatch.Elapsed.TotalSeconds;
            if (share < 0.02)
            {
                Console.WriteLine($"warm after {done} jobs ({100 * share:F1} % of a core compiling in the last step)");
                return done;
            }
        }
        Console.WriteLine($"still compiling after {done} jobs; measuring anyway");
        return done;
    }

    /// <summary>
    /// wrk against POST /api/v1/probes with no worker running (commands wait on the broker). Each round starts a fresh
    /// database and API, then measures twice: paced at the goal's rate (each connection waits between requests; after
    /// a 10 s warm-up the wait is calibrated in three 4 s runs so the offered load is about 3,000/s: the latency at
    /// that rate), and flat out (closed loop: the most the machine does, and the latency of a saturated machine).
    /// </summary>
    public static async Task SubmitAsync(Options options)
    {
        Console.WriteLine($"## submit: wrk -t2 -c{options.WrkConnections} -d{options.WrkSeconds}s POST /api/v1/probes, paced at ~{PacedRate}/s " +
            $"then flat out, fresh API per round, {options.Rounds} rounds");
        for (var round = 1; round <= options.Rounds; round++)
        {
            await using var env = await BenchEnvironment.CreateAsync();
            await using var api = await HostRunner.StartAsync("Api", env.Settings(Unthrottled), env.WorkDirectory);
            var flat = await WarmUpAsync(env, api, options.WrkConnections, run: false);
            var (paced, wait) = await CalibratePacingAsync(env, api, options.WrkConnections); // also the warm-up
            await env.VacuumAnalyzeAsync();
            var atRate = await SubmitRoundAsync(env, api, paced, options);
            Console.WriteLine($"round {round}, paced ({wait:F1} ms between a connection's requests): {atRate}; goal >= 3000/s with p99 < 25 ms");
            var saturated = await SubmitRoundAsync(env, api, flat, options);
            Console.WriteLine($"round {round}, flat out: {saturated}");
        }
    }

    /// <summary>Offered load of the paced run: the goal's rate.</summary>
    private const int PacedRate = 3000;

    /// <summary>
    /// A wrk script whose connections wait between requests so that together they offer about <see cref="PacedRate"/>
    /// requests a second. A connection's rate is 1 / (wait + latency), so the wait is corrected after each of three 4 s runs.
    /// </summary>
    private static async Task<(string Script, double WaitMs)> CalibratePacingAsync(BenchEnvironment env, HostRunner api, int connections)
    {
        var script = Path.Combine(env.WorkDirectory, "probe-paced.lua");
        var wait = 1000.0 * connections / PacedRate;
        // Warm-up at the nominal wait (at most the paced rate): a cold API is slow, and calibrating on it drove the wait to 0.
        await File.WriteAllTextAsync(script, RequestScript + $"function delay()\n  return {wait.ToString("F1", CultureInfo.InvariantCulture)}\nend\n");
        await RunWrkAsync(api.BaseAddress, script, connections, 10);
        for (var step = 0; step < 3; step++)
        {
            await File.WriteAllTextAsync(script, RequestScript + $"function delay()\n  return {wait.ToString("F1", CultureInfo.InvariantCulture)}\nend\n");
            var rate = (await RunWrkAsync(api.BaseAddress, script, connections, 4)).RequestsPerSecond;
            // Damped: the latency in a connection's cycle shrinks as the API warms up, and an undamped step overshoots.
            wait = Math.Max(0, wait + 0.6 * (1000.0 * connections / PacedRate - 1000.0 * connections / rate));
        }
        await File.WriteAllTextAsync(script, RequestScript + $"function delay()\n  return {wait.ToString("F1", CultureInfo.InvariantCulture)}\nend\n");
        return (script, wait);
    }

    private static string RequestScript =>
        $"wrk.method = \"POST\"\nwrk.headers[\"X-Api-Key\"] = \"{BenchEnvironment.ApiKey}\"\nwrk.headers[\"Content-Length\"] = \"0\"\n";

    /// <summary>
    /// The same wrk run on a fresh database and API per round, the API's GC alternating between .NET's default for
    /// server GC (DATAS, dynamic adaptation: DOTNET_GCDynamicAdaptationMode=1) and the hosts' setting (classic server
    /// GC, mode 0): what the setting buys in latency and pause time.
    /// </summary>
    public static async Task GcAsync(Options options)
    {
        Console.WriteLine($"## gc: wrk -t2 -c{options.WrkConnections} -d{options.WrkSeconds}s POST /api/v1/probes flat out, fresh API per run, " +
            $"GC adaptation on (DATAS) vs off, {options.Rounds} rounds");
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var mode in new[] { "1", "0" })
            {
                await using var env = await BenchEnvironment.CreateAsync();
                var settings = env.Settings(new Dictionary<string, string>(Unthrottled) { ["DOTNET_GCDynamicAdaptationMode"] = mode });
                await using var api = await HostRunner.StartAsync("Api", settings, env.WorkDirectory);
                var flat = await WarmUpAsync(env, api, options.WrkConnections);
                await env.VacuumAnalyzeAsync();
                var result = await SubmitRoundAsync(env, api, flat, options);
                Console.WriteLine($"round {round}, {(mode == "1" ? "DATAS (default)" : "classic server GC")}: {result}");
            }
        }
    }

    /// <summary>Writes the flat-out wrk script and (unless told not to) runs it for 10 s to warm the API up (JIT, pools).</summary>
    private static async Task<string> WarmUpAsync(BenchEnvironment env, HostRunner api, int connections, bool run = true)
    {
        var flat = Path.Combine(env.WorkDirectory, "probe.lua");
        await File.WriteAllTextAsync(flat, RequestScript);
        if (run)
        {
            await RunWrkAsync(api.BaseAddress, flat, connections, 10);
        }
        return flat;
    }

    private static async Task<SubmitRound> SubmitRoundAsync(BenchEnvironment env, HostRunner api, string script, Options options)
    {
        var jobsBefore = await env.ScalarAsync("SELECT count(*) FROM jobs");
        var unsentBefore = await env.ScalarAsync(Unsent);
        var before = await CostPerJob.SnapshotAsync(api);
        var gcBefore = await GcPauses.SnapshotAsync(api);
        var hosts = new Dictionary<string, IReadOnlyList<int>> { ["api"] = [api.Pid] };
        var cpuBefore = CpuUsage.Snapshot(CpuUsage.Groups(hosts));
        var wrk = await RunWrkAsync(api.BaseAddress, script, options.WrkConnections, options.WrkSeconds);
        var cpu = CpuUsage.Delta(hosts, cpuBefore);
        var created = await env.ScalarAsync("SELECT count(*) FROM jobs") - jobsBefore;
        var cost = await CostPerJob.SinceAsync(api, before, created);
        var gc = (await GcPauses.SnapshotAsync(api)).Minus(gcBefore);
        var unsent = (unsentBefore, await env.ScalarAsync(Unsent));
        return new SubmitRound(wrk, created, cost, gc, unsent, Shares(cpu, options.WrkSeconds), options.WrkSeconds);
    }

    private sealed record SubmitRound(WrkResult Wrk, long Created, CostPerJob Cost, GcPauses Gc, (long Before, long After) Unsent,
        string CpuShares, int Seconds)
    {
        public override string ToString() =>
            $"{Wrk.RequestsPerSecond:F0} req/s, p50 {Wrk.P50Ms:F1} ms, p99 {Wrk.P99Ms:F1} ms, non-2xx {Wrk.Non2xx}, jobs created {Created}, " +
            $"unsent {Unsent.Before} -> {Unsent.After}; " +
            $"API {Cost}; GC {Gc.Describe(Seconds)}; CPU of one core: {CpuShares}";
    }

    /// <summary>A backlog on the broker drained by N worker processes; steady-state rate and CPU per process group.</summary>
    public static async Task DrainAsync(Options options)
    {
        Console.WriteLine($"## drain: {options.Jobs} probe jobs queued, then 1..N worker processes (Workers.Ingest, prefetch {options.Prefetch} each)");
        foreach (var workers in options.Workers)
        {
            var drain = await DrainOnceAsync(options.Jobs, workers, new() { ["Bus__PrefetchCount"] = $"{options.Prefetch}" });
            Console.WriteLine($"workers {workers}: {drain}");
        }
    }

    /// <summary>
    /// The same drain with PostgreSQL statement auto-preparation and reset-on-close as they were before (off / on) and
    /// as they are now (Db's defaults), rounds alternating: what the profile-driven change bought.
    /// </summary>
    public static async Task PrepareAsync(Options options)
    {
        Console.WriteLine($"## prepare: {options.Jobs} probe jobs drained by 1 worker, PostgreSQL auto-prepare off vs on, {options.Rounds} rounds");
        for (var round = 1; round <= options.Rounds; round++)
        {
            var old = await DrainOnceAsync(options.Jobs, 1, new() { ["PgOptions"] = "Max Auto Prepare=0;No Reset On Close=false" });
            var now = await DrainOnceAsync(options.Jobs, 1, []);
            Console.WriteLine($"round {round}: before {old}");
            Console.WriteLine($"round {round}: after  {now}");
            Console.WriteLine($"round {round}: ratios after/before: rate {now.Rate / old.Rate:F2}, postgresql CPU/job {now.PostgresMsPerJob / old.PostgresMsPerJob:F2}, " +
                $"worker CPU/job {now.WorkerMsPerJob / old.WorkerMsPerJob:F2}");
        }
    }

    private static async Task<Drain> DrainOnceAsync(int jobs, int workers, Dictionary<string, string> extra)
    {
        await using var env = await BenchEnvironment.CreateAsync();
        var overrides = new Dictionary<string, string>(Unthrottled);
        if (extra.Remove("PgOptions", out var pgOptions))
        {
            overrides["Database__ConnectionString"] = env.ConnectionString + ";" + pgOptions;
        }
        foreach (var (key, value) in extra)
        {
            overrides[key] = value;
        }
        var settings = env.Settings(overrides);
        await using var api = await HostRunner.StartAsync("Api", settings, env.WorkDirectory);
        await SubmitAsync(api.BaseAddress, jobs, 64);
        await Require(env.WaitForAsync(Dispatched, jobs, TimeSpan.FromMinutes(2)), "backlog not on the broker");
        await env.VacuumAnalyzeAsync();

        var hosts = new List<HostRunner>();
        try
        {
            hosts.AddRange(await Task.WhenAll(Enumerable.Range(0, workers)
                .Select(_ => HostRunner.StartAsync("Workers.Ingest", settings, env.WorkDirectory, waitReady: false))));
            var pids = new Dictionary<string, IReadOnlyList<int>>
            {
                ["workers"] = [.. hosts.Select(h => h.Pid)], ["api"] = [api.Pid],
            };
            // Steady state: from 10 % to 90 % of the backlog done, so process start-up and the tail are left out.
            var from = jobs / 10;
            var to = jobs * 9 / 10;
            await Require(env.WaitForAsync(Succeeded, from, TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(100)), "drain did not start");
            // The window's edges are taken together (CPU, clock, jobs done); the slower /metrics scrapes sit outside it.
            var allocBefore = await SumAsync(hosts, CostPerJob.AllocatedMetric);
            var cpuBefore = CpuUsage.Snapshot(CpuUsage.Groups(pids));
            var stopwatch = Stopwatch.StartNew();
            var doneBefore = await env.ScalarAsync(Succeeded);
            await Require(env.WaitForAsync(Succeeded, to, TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(100)), "drain stalled");
            var done = await env.ScalarAsync(Succeeded) - doneBefore;
            var seconds = stopwatch.Elapsed.TotalSeconds;
            var cpu = CpuUsage.Delta(pids, cpuBefore);
            var allocated = await SumAsync(hosts, CostPerJob.AllocatedMetric) - allocBefore; // includes the window's edges: an upper bound
            await Require(env.WaitForAsync(Succeeded, jobs, TimeSpan.FromMinutes(5)), "tail did not drain");
            var total = (await env.FinishTimesAsync()).Last();
            return new Drain(done / seconds, jobs / total, total, cpu, seconds, done, allocated / done / 1024);
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    private sealed record Drain(double Rate, double WholeRate, double TotalSeconds, Dictionary<string, double> Cpu, double Seconds, long Done,
        double WorkerKbPerJob)
    {
        public double WorkerMsPerJob => 1000 * Cpu["workers"] / Done;

        public double PostgresMsPerJob => 1000 * Cpu["postgresql"] / Done;

        public override string ToString() =>
            $"steady {Rate:F0} jobs/s, whole backlog {WholeRate:F0} jobs/s ({TotalSeconds:F1} s); CPU of one core: {Shares(Cpu, Seconds)} " +
            $"(machine {100 * Cpu.Values.Sum() / Seconds / Environment.ProcessorCount:F0}% of {Environment.ProcessorCount} cores); " +
            $"worker {WorkerMsPerJob:F2} CPU ms/job, {WorkerKbPerJob:F1} KB allocated/job; postgresql {PostgresMsPerJob:F2} ms/job, " +
            $"rabbitmq {1000 * Cpu["rabbitmq"] / Done:F2} ms/job";
    }

    /// <summary>Submits probe jobs over HTTP from <paramref name="concurrency"/> clients; every response must be 202.</summary>
    public static async Task SubmitAsync(Uri api, int jobs, int concurrency)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = api };
        http.DefaultRequestHeaders.Add("X-Api-Key", BenchEnvironment.ApiKey);
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= jobs)
            {
                using var response = await http.PostAsync("api/v1/probes", null);
                if (response.StatusCode != HttpStatusCode.Accepted)
                {
                    throw new InvalidOperationException($"probe submission answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
        }));
    }

    private static async Task<WrkResult> RunWrkAsync(Uri api, string script, int connections, int seconds)
    {
        var start = new ProcessStartInfo("wrk")
        {
            ArgumentList = { "-t2", $"-c{connections}", $"-d{seconds}s", "--latency", "-s", script, new Uri(api, "api/v1/probes").ToString() },
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk not found (apt-get install wrk)");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return WrkResult.Parse(output);
    }

    private static async Task<double> SumAsync(IEnumerable<HostRunner> hosts, string metric)
    {
        var sum = 0.0;
        foreach (var host in hosts)
        {
            sum += await host.MetricAsync(metric) ?? double.NaN;
        }
        return sum;
    }

    private static string Shares(Dictionary<string, double> cpu, double seconds) =>
        string.Join(", ", cpu.Select(c => $"{c.Key} {100 * c.Value / seconds:F0}%"));

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static async Task Require(Task<bool> condition, string failure)
    {
        if (!await condition)
        {
            throw new TimeoutException(failure);
        }
    }

    private sealed partial record WrkResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Non2xx)
    {
        public static WrkResult Parse(string output) => new(
            double.Parse(Match(RequestsLine(), output), CultureInfo.InvariantCulture),
            Milliseconds(Match(P50Line(), output)),
            Milliseconds(Match(P99Line(), output)),
            NonSuccessLine().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0);

        private static string Match(Regex regex, string output) =>
            regex.Match(output) is { Success: true } m ? m.Groups[1].Value : throw new FormatException("unexpected wrk output:\n" + output);

        private static double Milliseconds(string value)
        {
            var number = double.Parse(value[..^(value.EndsWith("ms", StringComparison.Ordinal) || value.EndsWith("us", StringComparison.Ordinal) ? 2 : 1)],
                CultureInfo.InvariantCulture);
            return value.EndsWith("us", StringComparison.Ordinal) ? number / 1000
                : value.EndsWith("ms", StringComparison.Ordinal) ? number
                : number * 1000;
        }

        [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
        private static partial Regex RequestsLine();

        [GeneratedRegex(@"\s50%\s+([\d.]+\w+)")]
        private static partial Regex P50Line();

        [GeneratedRegex(@"\s99%\s+([\d.]+\w+)")]
        private static partial Regex P99Line();

        [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
        private static partial Regex NonSuccessLine();
    }
}

/// <summary>GC pause time and collections per generation, from the host's runtime metrics.</summary>
public sealed record GcPauses(double PauseSeconds, double Gen0, double Gen1, double Gen2)
{
    private const string Collections = "dotnet_gc_collections_total{gc_heap_generation=";

    public static async Task<GcPauses> SnapshotAsync(HostRunner host) => new(
        await host.MetricAsync("dotnet_gc_pause_time_seconds_total") ?? double.NaN,
        await host.MetricAsync(Collections + "\"gen0\"}") ?? 0,
        await host.MetricAsync(Collections + "\"gen1\"}") ?? 0,
        await host.MetricAsync(Collections + "\"gen2\"}") ?? 0);

    public GcPauses Minus(GcPauses before) =>
        new(PauseSeconds - before.PauseSeconds, Gen0 - before.Gen0, Gen1 - before.Gen1, Gen2 - before.Gen2);

    public string Describe(double seconds) =>
        $"paused {1000 * PauseSeconds:F0} ms ({100 * PauseSeconds / seconds:F1} % of wall), collections gen0/1/2 {Gen0:F0}/{Gen1:F0}/{Gen2:F0}";
}

/// <summary>CPU milliseconds (from /proc) and bytes allocated (from the host's runtime metrics) per job in one host process.</summary>
public sealed record CostPerJob(double CpuMs, double AllocatedKb)
{
    public const string AllocatedMetric = "dotnet_gc_heap_total_allocated_bytes_total";

    public static async Task<(double Cpu, double Allocated)> SnapshotAsync(HostRunner host) =>
        (CpuUsage.Snapshot(new Dictionary<string, IReadOnlyList<int>> { ["host"] = [host.Pid] }).GetValueOrDefault(host.Pid),
            await host.MetricAsync(AllocatedMetric) ?? double.NaN);

    public static async Task<CostPerJob> SinceAsync(HostRunner host, (double Cpu, double Allocated) before, long jobs)
    {
        var (cpu, allocated) = await SnapshotAsync(host);
        return new CostPerJob(1000 * (cpu - before.Cpu) / jobs, (allocated - before.Allocated) / jobs / 1024);
    }

    public override string ToString() => $"{CpuMs:F2} CPU ms/job, {AllocatedKb:F1} KB allocated/job";
}
