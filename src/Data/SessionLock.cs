using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;

namespace Platform.Data;

/// <summary>
/// A lock held for as long as a piece of work runs (a whole dump), that every process on the database respects: a
/// PostgreSQL session advisory lock on a connection of its own; with SQLite (one process) a lock of this process.
/// </summary>
public static class SessionLock
{
    private static readonly ConcurrentDictionary<long, SemaphoreSlim> Local = new();

    /// <summary>The held lock, to dispose when the work ends; null when someone else holds it.</summary>
    public static async Task<IAsyncDisposable?> TryHoldAsync(this Db db, long key, CancellationToken ct)
    {
        if (db.Provider != DbProvider.PostgreSql)
        {
            var local = Local.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
            return await local.WaitAsync(0, ct) ? new Releaser(() => { local.Release(); return ValueTask.CompletedTask; }) : null;
        }
        var connection = await db.OpenAsync(ct);
        if (await connection.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_lock(@key)", new { key }))
        {
            return new Releaser(async () => await ReleaseAsync(connection, key));
        }
        await connection.DisposeAsync();
        return null;
    }

    private static async Task ReleaseAsync(DbConnection connection, long key)
    {
        try
        {
            await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key });
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
