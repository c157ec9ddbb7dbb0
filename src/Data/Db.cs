using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Platform.Data;

/// <summary>Opens connections to the system-of-record database: PostgreSQL in deployments, a SQLite file embedded.</summary>
public sealed class Db : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _postgres;
    private readonly string? _sqlite;

    static Db() => DapperTypeHandlers.Register();

    public Db(IOptions<DatabaseOptions> options)
    {
        var o = options.Value;
        Provider = Enum.Parse<DbProvider>(o.Provider, ignoreCase: true);
        if (Provider == DbProvider.PostgreSql)
        {
            _postgres = NpgsqlDataSource.Create(WithPostgresDefaults(o.ConnectionString));
        }
        else
        {
            var builder = new SqliteConnectionStringBuilder(o.ConnectionString);
            if (builder.DataSource is { Length: > 0 } path && path != ":memory:")
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            }
            builder.DefaultTimeout = 30; // also the wait on a locked database
            _sqlite = builder.ToString();
        }
    }

    public DbProvider Provider { get; }

    /// <summary>The PostgreSQL pool (null for SQLite), for the health check to test the connections requests use.</summary>
    internal NpgsqlDataSource? PostgresDataSource => _postgres;

    /// <summary>The expressions the two dialects spell differently (<see cref="SqlDialect"/>).</summary>
    public SqlDialect Dialect => _dialect ??= new SqlDialect(Provider);

    private SqlDialect? _dialect;

    /// <summary>The provider's name as backups record it: <c>postgresql</c> or <c>sqlite</c>.</summary>
    public string ProviderName => Provider == DbProvider.PostgreSql ? "postgresql" : "sqlite";

    /// <summary>
    /// Defaults for the handful of statements every job runs thousands of times (measured in bench/throughput):
    /// auto-prepare them, so PostgreSQL parses and plans each once per connection; and skip the session reset when a
    /// pooled connection is returned, as nothing here changes session state. A connection string that sets either keeps it.
    /// </summary>
    public static string WithPostgresDefaults(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!HasKey(connectionString, "Max Auto Prepare", "MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 32;
        }
        if (!HasKey(connectionString, "No Reset On Close", "NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }
        return builder.ConnectionString;
    }

    private static bool HasKey(string connectionString, params string[] names) =>
        connectionString.Split(';').Select(part => part.Split('=', 2)[0].Trim())
            .Any(key => names.Any(name => string.Equals(key, name, StringComparison.OrdinalIgnoreCase)));

    public string ConnectionString => _postgres?.ConnectionString ?? _sqlite!;

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(ct);
        }
        var connection = new SqliteConnection(_sqlite);
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>Named locks this process may hold at once (see <see cref="WithNamedLockAsync{T}"/>).</summary>
    private const int LockStripes = 16;

    private readonly SemaphoreSlim[] _lockStripes = [.. Enumerable.Range(0, LockStripes).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>
    /// Runs <paramref name="action"/> while holding a lock named <paramref name="name"/> that every process on this
    /// database respects: a check followed by an insert that must not interleave with another process's same check.
    /// Keep the action short (a few statements). On PostgreSQL the lock is an advisory lock of a transaction on a
    /// connection of its own, released when that transaction ends, whatever the action does. SQLite has one process,
    /// so the lock is this process's alone.
    /// </summary>
    /// <remarks>
    /// Names share <see cref="LockStripes"/> in-process stripes, taken first, so at most that many connections wait on
    /// a database lock while the action needs connections of its own: a burst cannot take the whole pool and wait on
    /// itself. Two names in one stripe wait for each other here; the action is short, so that costs little.
    /// </remarks>
    public async Task<T> WithNamedLockAsync<T>(string name, Func<Task<T>> action, CancellationToken ct = default)
    {
        var key = BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
        var stripe = _lockStripes[(int)((ulong)key % LockStripes)];
        await stripe.WaitAsync(ct);
        try
        {
            if (_postgres is null)
            {
                return await action();
            }
            await using var connection = await _postgres.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key }, transaction, cancellationToken: ct));
            return await action(); // the transaction, which wrote nothing, rolls back on dispose: the lock goes with it
        }
        finally
        {
            stripe.Release();
        }
    }

    /// <summary>
    /// A row's own fault (a constraint, or a value the column refuses): writing the other rows of its statement alone
    /// would succeed. Anything else (the database is away, a timeout) would fail them too.
    /// </summary>
    public static bool IsRowFault(Exception ex) => ex switch
    {
        PostgresException pg => pg.SqlState.StartsWith("22", StringComparison.Ordinal) || pg.SqlState.StartsWith("23", StringComparison.Ordinal),
        SqliteException sqlite => sqlite.SqliteErrorCode is 19 or 20 or 25, // CONSTRAINT, MISMATCH, RANGE
        _ => false,
    };

    /// <summary>
    /// PostgreSQL aborted the statement to break a deadlock: it had no effect, and the same statement again, once the
    /// other one finished, can succeed.
    /// </summary>
    public static bool IsDeadlock(Exception ex) => ex is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected };

    /// <summary>The statement for this provider, where the two dialects differ. Only this project forks on the dialect.</summary>
    internal string Sql(string postgres, string sqlite) => Provider == DbProvider.PostgreSql ? postgres : sqlite;

    public async Task<int> ExecuteAsync(string sql, object? args = null, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        return await c.ExecuteAsync(new CommandDefinition(sql, args, cancellationToken: ct));
    }

    public async Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? args = null, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<T>(new CommandDefinition(sql, args, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? args = null, CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        return (await c.QueryAsync<T>(new CommandDefinition(sql, args, cancellationToken: ct))).AsList();
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
