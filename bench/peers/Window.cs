using System.Globalization;
using Npgsql;
using Platform.Bench.Throughput;

namespace Platform.Bench.Peers;

/// <summary>
/// One measured window: wall time, CPU of every process involved and the database's counters. Processes are
/// re-listed every 250 ms (a Celery worker's children, PostgreSQL backends of the round's database opened meanwhile),
/// and each one's CPU is its last reading minus its reading at the start (zero if it started later). The broker and
/// Redis are whole processes shared with everything else on the machine; PostgreSQL counts only the backends
/// connected to this round's database (their process title names it), less the harness's own.
/// </summary>
public sealed class Window : IAsyncDisposable
{
    private readonly Func<Dictionary<string, List<int>>> _groups;
    private readonly string _database;
    private readonly Dictionary<int, double> _start = [];
    private readonly Dictionary<int, (string Group, double Seconds)> _last = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly System.Diagnostics.Stopwatch _clock = new();
    private Task? _sampler;
    private PgCounters _pgStart;

    private Window(Func<Dictionary<string, List<int>>> groups, string database)
    {
        _groups = groups;
        _database = database;
    }

    public string LoadAtStart { get; private set; } = "";

    /// <param name="groups">Process groups of the system (client, workers...); broker, Redis and PostgreSQL are added.</param>
    /// <param name="shared">Shared services the system uses: "rabbitmq", "redis".</param>
    public static async Task<Window> StartAsync(BenchEnvironment env, Func<Dictionary<string, List<int>>> groups, params string[] shared)
    {
        var window = new Window(() =>
        {
            var all = groups();
            all["postgresql"] = [.. Processes.BackendsOf(env.Name).Except(env.HarnessBackends)]; // not the harness's own polls
            foreach (var service in shared)
            {
                all[service] = [.. CpuUsage.ByName(service == "rabbitmq" ? "beam.smp" : "redis-server")];
            }
            return all;
        }, env.Name);
        window._pgStart = await PgCounters.ReadAsync(env.ConnectionString, env.Name);
        window.LoadAtStart = Processes.Load();
        window.Sample(start: true);
        window._clock.Start();
        window._sampler = Task.Run(async () =>
        {
            while (!window._stop.IsCancellationRequested)
            {
                await Task.Delay(250, CancellationToken.None);
                window.Sample(start: false);
            }
        });
        return window;
    }

    private Dictionary<string, List<int>>? _listed;
    private int _samples;

    private void Sample(bool start)
    {
        // Listing reads every process's title; once a second is enough to catch new backends and pool children.
        if (_listed is null || _samples++ % 4 == 0)
        {
            _listed = _groups();
        }
        foreach (var (group, pids) in _listed)
        {
            foreach (var pid in pids)
            {
                if (Processes.CpuSeconds(pid) is not { } seconds)
                {
                    continue;
                }
                lock (_last)
                {
                    if (start)
                    {
                        _start[pid] = seconds;
                    }
                    _last[pid] = (group, seconds);
                }
            }
        }
    }

    /// <summary>Ends the window: seconds, CPU seconds per group, and the database's counters (read after they are flushed).</summary>
    public async Task<(double Seconds, Dictionary<string, double> Cpu, PgCounters Pg, string Load)> StopAsync(string connectionString)
    {
        var seconds = _clock.Elapsed.TotalSeconds;
        _samples = 0;
        Sample(start: false);
        await _stop.CancelAsync();
        await _sampler!;
        var load = Processes.Load();
        Dictionary<string, double> cpu;
        lock (_last)
        {
            cpu = _last.GroupBy(p => p.Value.Group)
                .ToDictionary(g => g.Key, g => g.Sum(p => p.Value.Seconds - _start.GetValueOrDefault(p.Key)));
        }
        await Task.Delay(TimeSpan.FromSeconds(1.2)); // a backend reports its counts when idle, at most once a second
        var pg = (await PgCounters.ReadAsync(connectionString, _database)).Minus(_pgStart);
        return (seconds, cpu, pg, load);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_sampler is not null)
        {
            await _sampler;
        }
        _stop.Dispose();
    }
}

/// <summary>pg_stat_database counters of one database: commits and rows inserted, updated, deleted.</summary>
public readonly record struct PgCounters(long Commits, long Inserted, long Updated, long Deleted)
{
    public static async Task<PgCounters> ReadAsync(string connectionString, string database)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT xact_commit, tup_inserted, tup_updated, tup_deleted FROM pg_stat_database WHERE datname = $1", connection);
        command.Parameters.AddWithValue(database);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new PgCounters(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    public PgCounters Minus(PgCounters start) =>
        new(Commits - start.Commits, Inserted - start.Inserted, Updated - start.Updated, Deleted - start.Deleted);
}

/// <summary>/proc readings: CPU of a process, its descendants, the backends of a database, the load average.</summary>
public static class Processes
{
    public static double? CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The process and every descendant (a Celery worker's pool children).</summary>
    public static List<int> Tree(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var pid in All())
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                parents[pid] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
        }
        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        }
        return tree;
    }

    /// <summary>PostgreSQL backends connected to <paramref name="database"/> (process title "postgres: user database host ...").</summary>
    public static List<int> BackendsOf(string database)
    {
        var backends = new List<int>();
        foreach (var pid in All())
        {
            try
            {
                var title = File.ReadAllText($"/proc/{pid}/cmdline");
                if (title.StartsWith("postgres: ", StringComparison.Ordinal) && title.Contains($" {database} ", StringComparison.Ordinal))
                {
                    backends.Add(pid);
                }
            }
            catch (IOException)
            {
            }
        }
        return backends;
    }

    public static string Load() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]);

    private static IEnumerable<int> All() =>
        Directory.EnumerateDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : -1).Where(p => p > 0);
}
