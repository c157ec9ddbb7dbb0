using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Platform.Bench.Throughput;

/// <summary>
/// What one measurement runs against: a fresh PostgreSQL database and RabbitMQ virtual host of its own (so nothing
/// else on the shared broker or database is touched), a work folder, and the settings that point the hosts at them.
/// Everything is removed on dispose.
/// </summary>
public sealed class BenchEnvironment : IAsyncDisposable
{
    public const string ApiKey = "bench-key";
    public const string Tenant = "bench";

    private static readonly string AdminConnection =
        Environment.GetEnvironmentVariable("BENCH_PG_ADMIN") ?? "Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres";

    private static readonly Uri Management = new(Environment.GetEnvironmentVariable("BENCH_RABBITMQ_MANAGEMENT") ?? "http://127.0.0.1:15672/");

    private readonly HttpClient _management;

    private BenchEnvironment(string name, HttpClient management, string workDirectory)
    {
        Name = name;
        _management = management;
        WorkDirectory = workDirectory;
    }

    public string Name { get; }

    public string WorkDirectory { get; }

    public string ConnectionString => new NpgsqlConnectionStringBuilder(AdminConnection) { Database = Name }.ConnectionString;

    public string AmqpUri => $"amqp://guest:guest@127.0.0.1:5672/{Name}";

    public static async Task<BenchEnvironment> CreateAsync()
    {
        var name = $"bench_tp_{Guid.NewGuid():N}"[..24];
        await using (var admin = new NpgsqlConnection(AdminConnection))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var http = new HttpClient { BaseAddress = Management };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("guest:guest"u8.ToArray()));
        (await http.PutAsync($"api/vhosts/{name}", null)).EnsureSuccessStatusCode();
        (await http.PutAsJsonAsync($"api/permissions/{name}/guest", new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        return new BenchEnvironment(name, http, Directory.CreateTempSubdirectory("platform-bench-tp-").FullName);
    }

    /// <summary>Host settings: PostgreSQL, RabbitMQ, one submit key, limits that would otherwise throttle a benchmark raised.</summary>
    public Dictionary<string, string> Settings(IReadOnlyDictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSql",
            ["Database__ConnectionString"] = ConnectionString,
            ["Bus__RabbitMqUri"] = AmqpUri,
            ["Blobs__Root"] = Path.Combine(WorkDirectory, "blobs"),
            ["Scheduler__Enabled"] = "false",
            ["Auth__ApiKeys__0__Name"] = "bench",
            ["Auth__ApiKeys__0__Sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ApiKey))),
            ["Auth__ApiKeys__0__Tenant"] = Tenant,
            ["Auth__ApiKeys__0__Scopes__0"] = "read",
            ["Auth__ApiKeys__0__Scopes__1"] = "submit",
            ["RateLimits__PerKeyPerMinute"] = "0",
            ["Redis__Configuration"] = Environment.GetEnvironmentVariable("BENCH_REDIS") ?? "127.0.0.1:6379",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }
        return settings;
    }

    /// <summary>
    /// Backends of this harness's own queries (progress polls, checks): bench/peers leaves them out of the measured
    /// system's PostgreSQL CPU. A poll counting 100,000 queued jobs every 50 ms costs PostgreSQL more than a job does.
    /// </summary>
    public ICollection<int> HarnessBackends => _harnessBackends.Keys;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte> _harnessBackends = new();

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        _harnessBackends.TryAdd(connection.ProcessID, 0);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    /// <summary>
    /// Rows of the jobs table updated so far (each a new row version with its index entries). A backend reports its
    /// counts when idle, at most once a second, so this waits that long first.
    /// </summary>
    public async Task<long> RowUpdatesAsync()
    {
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        return await ScalarAsync("SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'jobs'");
    }

    /// <summary>Finish times (seconds since the first job started) of every succeeded job, in order.</summary>
    public async Task<double[]> FinishTimesAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT extract(epoch FROM finished_at - (SELECT min(started_at) FROM jobs))::float8
            FROM jobs WHERE status = 'succeeded' ORDER BY finished_at
            """, connection);
        var times = new List<double>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            times.Add(reader.GetDouble(0));
        }
        return [.. times];
    }

    /// <summary>Polls until <paramref name="sql"/> returns at least <paramref name="target"/>; false on timeout.</summary>
    public Task<bool> WaitForAsync(string sql, long target, TimeSpan timeout, TimeSpan? every = null) =>
        WaitUntilAsync(sql, count => count >= target, timeout, every);

    /// <summary>Polls until no job is queued or running (all submitted jobs ended); false on timeout.</summary>
    public Task<bool> WaitForNoUnfinishedAsync(TimeSpan timeout, TimeSpan? every = null) =>
        WaitUntilAsync(
            """
            SELECT (SELECT count(*) FROM jobs WHERE status = 'queued' AND dispatched_at IS NULL)
                 + (SELECT count(*) FROM jobs WHERE status IN ('queued', 'running') AND dispatched_at IS NOT NULL)
            """, count => count == 0, timeout, every); // each count reads a partial index (ix_jobs_unsent, ix_jobs_in_flight)

    /// <summary>
    /// What autovacuum does to a busy table within a minute (its default nap), done now: a benchmark database is seconds
    /// old, and until its first ANALYZE the planner keeps plans made when the jobs table was nearly empty (sequential
    /// scans), which cost O(table) per statement as the table grows. The whole database: a peer's tables are not named
    /// <c>jobs</c>.
    /// </summary>
    public async Task VacuumAnalyzeAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("VACUUM ANALYZE", connection) { CommandTimeout = 300 };
        await command.ExecuteNonQueryAsync();
    }

    private async Task<bool> WaitUntilAsync(string sql, Func<long, bool> done, TimeSpan timeout, TimeSpan? every)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done(await ScalarAsync(sql)))
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(50));
        }
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _management.DeleteAsync($"api/vhosts/{Name}");
        _management.Dispose();
        NpgsqlConnection.ClearAllPools();
        await using (var admin = new NpgsqlConnection(AdminConnection))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
        Directory.Delete(WorkDirectory, recursive: true);
    }
}
