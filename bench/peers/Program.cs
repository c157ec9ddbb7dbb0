// Side by side (issue #23): the platform's job pipeline and drain against the job systems a team would pick instead
// (Hangfire with Hangfire.PostgreSql; Celery on RabbitMQ with Redis or PostgreSQL results) and raw RabbitMQ.Client,
// in rounds whose order rotates, every system on a database and virtual host of its own. Per round and system: jobs/s,
// CPU ms per job summed over every process involved, PostgreSQL commits and row changes per job, lost and duplicated.
// Usage: bench/peers/run.sh [--rounds 3] [--seconds 15] [--warmup 1000] [--clients 32] [--jobs N] [--systems a,b]
//        [--platform-env "K=V;K=V"]  (system platform-env: the platform with this environment added, side by side)
//        [--quick]  (1 round, 3 s, 300 warm-up jobs: a smoke check)
using System.Globalization;
using Platform.Bench.Peers;
using Platform.Bench.Throughput;

var settings = Parse(args);
Console.WriteLine($"# peers bench {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load {Processes.Load()}; " +
    $"rounds {settings.Rounds}, >= {settings.Seconds} s per round, warm-up {settings.Warmup} jobs, {settings.Clients} clients; " +
    $"platform prefetch {settings.PlatformPrefetch}; celery prefork x{settings.CeleryConcurrency}, prefetch multiplier {settings.CeleryPrefetchMultiplier}; " +
    $"hangfire {settings.HangfireWorkers} workers, queue poll {settings.HangfirePollMs} ms");
IPeer[] all = [new PlatformPeer(settings), new RawPeer(settings), new CeleryPeer(settings, redisBackend: true),
    new CeleryPeer(settings, redisBackend: false), new HangfirePeer(settings), new PlatformPeer(settings, variant: true)];
// platform-env (the platform with --platform-env added: a measurement of a setting, not a peer) runs only when named.
var peers = all.Where(p => settings.Systems.Length == 0 ? p.Name != "platform-env" : settings.Systems.Contains(p.Name)).ToArray();
var results = new List<Result>();
for (var round = 1; round <= settings.Rounds; round++)
{
    // Rotated: each round starts one system later, so no system always runs first (fresh machine) or last.
    foreach (var peer in peers.Skip((round - 1) % peers.Length).Concat(peers.Take((round - 1) % peers.Length)))
    {
        var pipeline = await peer.PipelineAsync(round);
        Console.WriteLine(pipeline);
        results.Add(pipeline);
        // The backlog: twice the pipeline's round, so the 10-90 % window lasts about as long at a drain rate ~1.5x higher.
        var drain = await peer.DrainAsync(round, settings.Jobs is { } jobs ? 2 * jobs : (long)(2.5 * pipeline.Jobs));
        Console.WriteLine(drain);
        results.Add(drain);
    }
}
Console.WriteLine();
Console.WriteLine(Table.Markdown(results));
Console.WriteLine($"# done {DateTime.UtcNow:HH:mm} UTC, load {Processes.Load()}");

static Settings Parse(string[] args)
{
    string? Get(string key) => Array.IndexOf(args, "--" + key) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    int Int(string key, int fallback) => Get(key) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
    var quick = args.Contains("--quick");
    return new Settings(
        Seconds: Int("seconds", quick ? 3 : 15),
        Rounds: Int("rounds", quick ? 1 : 3),
        Warmup: Int("warmup", quick ? 300 : 1000),
        Clients: Int("clients", 32),
        Jobs: Get("jobs") is { } j ? long.Parse(j, CultureInfo.InvariantCulture) : null,
        PlatformPrefetch: Int("platform-prefetch", 64),
        CeleryConcurrency: Int("celery-concurrency", 2),
        CeleryPrefetchMultiplier: Int("celery-prefetch-multiplier", 32),
        HangfireWorkers: Int("hangfire-workers", 20),
        HangfirePollMs: Int("hangfire-poll-ms", 100),
        Systems: Get("systems")?.Split(',') ?? [],
        Root: HostRunner.Root,
        PlatformEnvironment: [.. (Get("platform-env") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(kv => kv.Split('=', 2)).Select(kv => new KeyValuePair<string, string>(kv[0], kv.Length > 1 ? kv[1] : ""))]);
}
