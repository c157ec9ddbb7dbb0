using Platform.Data;

namespace Platform.Workers.Backup;

/// <summary>
/// At most one backup at a time across every process: a PostgreSQL session advisory lock, held on its own connection
/// for the length of the dump (released by the server if the process dies). SQLite runs in one process: a semaphore.
/// </summary>
public sealed class BackupLock(Db db)
{
    // Any fixed number; the same in every process of a deployment ("Backup" in ASCII).
    public const long AdvisoryLockKey = 0x4261636b7570;

    /// <summary>The held lock, or null when another backup holds it.</summary>
    public Task<IAsyncDisposable?> TryAcquireAsync(CancellationToken ct) => db.TryHoldAsync(AdvisoryLockKey, ct);
}
