// Throughput benchmarks of the platform against the limits of the same machine, measured in the same run.
//   bus     raw RabbitMQ.Client publish+confirm+consume vs the platform's no-op (probe) job pipeline, rounds alternating
//   submit  API job submission under wrk (requests/s, p50/p99), with the API's CPU and allocations per submission
//   drain   a backlog of probe jobs drained by 1, 2, 4 worker processes; CPU of every process group; cost per job
//   gc      the submit run with the API's GC adaptation (DATAS) on, as .NET defaults, and off, as the hosts set it
//   prepare the drain with PostgreSQL auto-prepare off (as before) and on (now), rounds alternating
// Usage: dotnet bench/throughput/bin/Release/net10.0/Platform.Bench.Throughput.dll [bus|submit|drain|prepare|all] [--key value ...]
// Loopback only, bounded: every scenario uses a database and virtual host of its own and removes them.
using System.Globalization;
using Platform.Bench.Throughput;

var scenario = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
var options = Options.Parse(args);
Console.WriteLine($"# throughput bench {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load {Load()}");

if (scenario is "bus" or "all")
{
    await Scenarios.BusAsync(options);
}
if (scenario is "submit" or "all")
{
    await Scenarios.SubmitAsync(options);
}
if (scenario is "gc" or "all")
{
    await Scenarios.GcAsync(options);
}
if (scenario is "drain" or "all")
{
    await Scenarios.DrainAsync(options);
}
if (scenario is "prepare" or "all")
{
    await Scenarios.PrepareAsync(options);
}
Console.WriteLine($"# done, load {Load()}");

static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[..3] is var l ? string.Join(' ', l) : "";

public sealed record Options(int Jobs, int BusMessages, int Concurrency, int Rounds, int WrkSeconds, int WrkConnections, int[] Workers,
    int Prefetch)
{
    public static Options Parse(string[] args)
    {
        string Get(string key, string fallback)
        {
            var i = Array.IndexOf(args, "--" + key);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        int Int(string key, int fallback) => int.Parse(Get(key, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        return new Options(
            Jobs: Int("jobs", 10_000),
            BusMessages: Int("bus-messages", 10_000),
            Concurrency: Int("concurrency", 32),
            Rounds: Int("rounds", 3),
            WrkSeconds: Int("wrk-seconds", 15),
            WrkConnections: Int("wrk-connections", 32),
            Workers: [.. Get("workers", "1,2,4").Split(',').Select(w => int.Parse(w, CultureInfo.InvariantCulture))],
            // The raw consumer's prefetch and the workers' Bus:PrefetchCount (the probe consumer's concurrency), alike.
            Prefetch: Int("prefetch", 16));
    }
}
