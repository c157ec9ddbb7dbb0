using Platform.Bench.Throughput;
using StackExchange.Redis;

namespace Platform.Bench.Peers;

/// <summary>
/// Celery 5.2 (Debian's python3-celery) on RabbitMQ, prefork pool, results in Redis or in PostgreSQL (SQLAlchemy):
/// a submitter process publishes no-op tasks (apply_async from threads), a worker process and its pool children run
/// them; completion is the task's result stored in the backend. Each execution appends its number to its child's file.
/// </summary>
public sealed class CeleryPeer(Settings settings, bool redisBackend) : IPeer
{
    /// <summary>Redis database of the results (Celery 5.2 has no key prefix); emptied before and after each round.</summary>
    private static readonly int RedisDb = int.Parse(System.Environment.GetEnvironmentVariable("BENCH_REDIS_DB") ?? "13");

    private static readonly string Python = "/usr/bin/python3"; // Debian's, where python3-celery is installed

    public string Name => redisBackend ? "celery-redis" : "celery-pg";

    private string Folder => Path.Combine(settings.Root, "bench/peers/celery");

    public async Task<Result> PipelineAsync(int round)
    {
        await using var env = await BenchEnvironment.CreateAsync();
        await using var redis = await PrepareAsync(env);
        await using var worker = StartWorker(env);
        return await Measure.PipelineAsync(Name, round, settings, env, () => new() { ["worker"] = Processes.Tree(worker.Pid) }, Shared,
            (first, count) => SubmitAsync(env, first, count), () => DoneAsync(env, redis), total => CheckAsync(env, redis, worker, total));
    }

    public async Task<Result> DrainAsync(int round, long backlog)
    {
        await using var env = await BenchEnvironment.CreateAsync();
        await using var redis = await PrepareAsync(env);
        Child? worker = null;
        try
        {
            return await Measure.DrainAsync(Name, round, backlog, env, () => new() { ["worker"] = Processes.Tree(worker!.Pid) }, Shared,
                (first, count) => SubmitAsync(env, first, count),
                () =>
                {
                    worker = StartWorker(env);
                    return Task.CompletedTask;
                },
                () => DoneAsync(env, redis), total => CheckAsync(env, redis, worker!, total));
        }
        finally
        {
            if (worker is not null)
            {
                await worker.DisposeAsync();
            }
        }
    }

    private string[] Shared => redisBackend ? ["rabbitmq", "redis"] : ["rabbitmq"];

    private Dictionary<string, string> Variables(BenchEnvironment env) => new()
    {
        ["PEERS_BROKER"] = env.AmqpUri,
        ["PEERS_BACKEND"] = redisBackend
            ? $"redis://127.0.0.1:6379/{RedisDb}"
            : $"db+postgresql+psycopg2://postgres@127.0.0.1:5432/{env.Name}",
        ["PEERS_PREFETCH_MULTIPLIER"] = $"{settings.CeleryPrefetchMultiplier}",
        ["PEERS_LEDGER_DIR"] = env.WorkDirectory,
        ["PYTHONPATH"] = Folder,
    };

    /// <summary>An empty results database (Redis), or the backend's tables created once (PostgreSQL: SQLAlchemy would race in each pool child).</summary>
    private async Task<RedisHandle> PrepareAsync(BenchEnvironment env)
    {
        var handle = new RedisHandle(redisBackend ? await ConnectionMultiplexer.ConnectAsync("127.0.0.1:6379,allowAdmin=true") : null);
        await handle.FlushAsync();
        if (!redisBackend)
        {
            var log = Path.Combine(env.WorkDirectory, "celery-prepare.log");
            await using var prepare = Child.Start(Python, ["-c", "import peertasks; peertasks.app.backend.ResultSession().close()"], Folder,
                Variables(env), log);
            await prepare.WaitAsync(TimeSpan.FromMinutes(1), log);
        }
        return handle;
    }

    private Child StartWorker(BenchEnvironment env) => Child.Start(Python,
        ["-m", "celery", "-A", "peertasks", "worker", "--pool", "prefork", "--concurrency", $"{settings.CeleryConcurrency}",
            "--prefetch-multiplier", $"{settings.CeleryPrefetchMultiplier}", "--without-gossip", "--without-mingle", "--without-heartbeat",
            "--loglevel", "WARNING"],
        Folder, Variables(env), Path.Combine(env.WorkDirectory, "celery-worker.log"));

    private async Task<double> SubmitAsync(BenchEnvironment env, long first, long count)
    {
        var log = Path.Combine(env.WorkDirectory, "celery-submit.log");
        await using var submit = Child.Start(Python, ["submit.py", $"{first}", $"{count}", $"{settings.Clients}"], Folder, Variables(env), log);
        await submit.WaitAsync(TimeSpan.FromMinutes(10), log);
        return submit.ReportedCpuSeconds();
    }

    private async Task<long> DoneAsync(BenchEnvironment env, RedisHandle redis)
    {
        if (redis.Server is { } server)
        {
            return await server.DatabaseSizeAsync(RedisDb);
        }
        return await env.ScalarAsync("SELECT count(*) FROM celery_taskmeta");
    }

    /// <summary>Lost: numbers never run, or results missing. Duplicated: numbers run more than once (read after the worker stops).</summary>
    private async Task<(long, long)> CheckAsync(BenchEnvironment env, RedisHandle redis, Child worker, long total)
    {
        await worker.StopAsync();
        var (lost, duplicated) = Ledger.Check(1, total, Ledger.ReadFiles(Directory.EnumerateFiles(env.WorkDirectory, "*.txt")));
        var results = redis.Server is null
            ? await env.ScalarAsync("SELECT count(*) FROM celery_taskmeta WHERE status = 'SUCCESS'")
            : await DoneAsync(env, redis);
        return (Math.Max(lost, total - results), duplicated);
    }

    private sealed class RedisHandle(ConnectionMultiplexer? redis) : IAsyncDisposable
    {
        public IServer? Server => redis?.GetServers()[0];

        public async Task FlushAsync()
        {
            if (Server is { } server)
            {
                await server.FlushDatabaseAsync(RedisDb);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (redis is not null)
            {
                await FlushAsync();
                await redis.DisposeAsync();
            }
        }
    }
}
