using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Jobs;

namespace Platform.Tests.Support;

/// <summary>
/// A fresh, migrated system-of-record database for one test: a SQLite file in a temp folder, or a new database on the
/// shared PostgreSQL server. The same contract tests run against both through this.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly PostgresDatabase? _postgres;
    private readonly string? _sqliteFolder;

    private TestDatabase(Db db, PostgresDatabase? postgres, string? sqliteFolder)
    {
        Db = db;
        _postgres = postgres;
        _sqliteFolder = sqliteFolder;
    }

    public Db Db { get; }

    /// <param name="provider"><c>Sqlite</c> or <c>PostgreSql</c>.</param>
    public static async Task<TestDatabase> CreateAsync(string provider)
    {
        PostgresDatabase? postgres = null;
        string? folder = null;
        string connectionString;
        if (provider == "PostgreSql")
        {
            postgres = await PostgresDatabase.CreateAsync();
            connectionString = postgres.ConnectionString;
        }
        else
        {
            folder = Directory.CreateTempSubdirectory("platform-db-").FullName;
            connectionString = $"Data Source={Path.Combine(folder, "platform.db")}";
        }
        var db = new Db(Options.Create(new DatabaseOptions { Provider = provider, ConnectionString = connectionString }));
        await new SchemaMigrator(db, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        return new TestDatabase(db, postgres, folder);
    }

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
        if (_sqliteFolder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TestFolders.Delete(_sqliteFolder);
        }
    }
}
