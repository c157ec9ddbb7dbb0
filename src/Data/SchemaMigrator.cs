using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Platform.Data;

/// <summary>
/// Brings the schema up to date when a host starts. Safe when several processes start at once:
/// PostgreSQL serialises them on an advisory lock, SQLite on its write lock.
/// </summary>
public sealed class SchemaMigrator(Db db, ILogger<SchemaMigrator> logger) : IHostedService
{
    // Any fixed number works; it only has to be the same in every process of a deployment.
    private const long AdvisoryLockKey = 0x506c6174666f726d; // "Platform"

    public bool Completed { get; private set; }

    public async Task StartAsync(CancellationToken ct)
    {
        await MigrateAsync(ct);
    }

    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        if (db.Provider == DbProvider.PostgreSql)
        {
            await c.ExecuteAsync("SELECT pg_advisory_lock(@k)", new { k = AdvisoryLockKey });
        }
        else
        {
            await c.ExecuteAsync("PRAGMA journal_mode=WAL");
        }
        try
        {
            await c.ExecuteAsync(db.Sql(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)",
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"));
            var applied = (await c.QueryAsync<int>("SELECT version FROM schema_migrations")).ToHashSet();
            foreach (var step in SchemaMigrations.All.Where(s => !applied.Contains(s.Version)).OrderBy(s => s.Version))
            {
                await using var tx = await c.BeginTransactionAsync(ct);
                var already = await c.ExecuteScalarAsync<long>(
                    "SELECT count(*) FROM schema_migrations WHERE version = @v", new { v = step.Version }, tx);
                if (already > 0)
                {
                    continue; // another process applied it while we waited for the write lock (SQLite)
                }
                await c.ExecuteAsync(db.Sql(step.PostgreSql, step.Sqlite), transaction: tx);
                await c.ExecuteAsync("INSERT INTO schema_migrations (version, applied_at) VALUES (@v, @at)",
                    new { v = step.Version, at = DateTimeOffset.UtcNow }, tx);
                await tx.CommitAsync(ct);
                logger.LogInformation("Applied schema step {Version} on {Provider}", step.Version, db.Provider);
            }
        }
        finally
        {
            if (db.Provider == DbProvider.PostgreSql)
            {
                await c.ExecuteAsync("SELECT pg_advisory_unlock(@k)", new { k = AdvisoryLockKey });
            }
        }
        Completed = true;
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
