using System.Data.Common;
using Dapper;
using Platform.Infrastructure.Data;

namespace Platform.Workers.Backup;

/// <summary>
/// At most one backup at a time across every process: a PostgreSQL session advisory lock, held on its own connection
/// for the length of the dump (released by the server if the process dies). SQLite runs in one process: a semaphore.
/// </summary>
public sealed class BackupLock(Db db)
{
    // Any fixed number; the same in every process of a deployment ("Backup" in ASCII).
    public const long AdvisoryLockKey = 0x4261636b7570;
    private static readonly SemaphoreSlim Local = new(1, 1);

    /// <summary>The held lock, or null when another backup holds it.</summary>
    public async Task<IAsyncDisposable?> TryAcquireAsync(CancellationToken ct)
    {
        if (db.Provider != DbProvider.PostgreSql)
        {
            return await Local.WaitAsync(0, ct) ? new Releaser(() => { Local.Release(); return ValueTask.CompletedTask; }) : null;
        }
        var connection = await db.OpenAsync(ct);
        if (await connection.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_lock(@k)", new { k = AdvisoryLockKey }))
        {
            return new Releaser(async () => await ReleaseAsync(connection));
        }
        await connection.DisposeAsync();
        return null;
    }

    private static async Task ReleaseAsync(DbConnection connection)
    {
        try
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@k)", new { k = AdvisoryLockKey });
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }

    private sealed class Releaser(Func<ValueTask> release) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => release();
    }
}
