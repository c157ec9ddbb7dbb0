using Dapper;
using Npgsql;
using Platform.Data;
using Platform.Workers.Backup.Dumps;

namespace Platform.Workers.Backup.Verification;

/// <summary>Creating, inspecting and dropping databases on the server that holds the platform's database.</summary>
public sealed class DatabaseAdmin(Db db, string maintenanceDatabase)
{
    public NpgsqlConnectionStringBuilder For(string database) => new(db.ConnectionString) { Database = database, Pooling = false };

    /// <summary>A new, empty database from template0 (no objects added to template1 leak in).</summary>
    public Task CreateAsync(string name, CancellationToken ct) => ExecuteAsync($"CREATE DATABASE {Quote(name)} TEMPLATE template0", ct);

    public Task DropAsync(string name, CancellationToken ct) => ExecuteAsync($"DROP DATABASE IF EXISTS {Quote(name)} WITH (FORCE)", ct);

    public async Task<bool> ExistsAsync(string name, CancellationToken ct)
    {
        await using var c = new NpgsqlConnection(For(maintenanceDatabase).ConnectionString);
        await c.OpenAsync(ct);
        return await c.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = @name)", new { name });
    }

    /// <summary>True when the database holds any table, view, sequence or function outside the system schemas.</summary>
    public async Task<bool> HasObjectsAsync(string name, CancellationToken ct)
    {
        await using var c = new NpgsqlConnection(For(name).ConnectionString);
        await c.OpenAsync(ct);
        return await c.ExecuteScalarAsync<bool>(
            """
            SELECT EXISTS (SELECT 1 FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace
                           WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%')
                OR EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                           WHERE n.nspname NOT IN ('pg_catalog', 'information_schema'))
            """);
    }

    /// <summary>Row counts of the given tables (names as the manifest writes them, already quoted).</summary>
    public async Task<Dictionary<string, long?>> CountRowsAsync(string database, IEnumerable<string> tables, CancellationToken ct)
    {
        await using var c = new NpgsqlConnection(For(database).ConnectionString);
        await c.OpenAsync(ct);
        var counts = new Dictionary<string, long?>();
        foreach (var table in tables)
        {
            var exists = await c.ExecuteScalarAsync<bool>("SELECT to_regclass(@table) IS NOT NULL", new { table });
            counts[table] = exists ? await c.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}") : null;
        }
        return counts;
    }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    private async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var c = new NpgsqlConnection(For(maintenanceDatabase).ConnectionString);
        await c.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(sql, cancellationToken: ct));
    }
}
