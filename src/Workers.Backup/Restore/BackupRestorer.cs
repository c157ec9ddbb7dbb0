using System.IO.Compression;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Platform.Blobs;
using Platform.Data;
using Platform.Jobs;
using Platform.ServiceDefaults;
using Platform.Workers.Backup.Verification;

namespace Platform.Workers.Backup.Restore;

/// <summary>Exit codes of <c>restore</c>, for scripts.</summary>
public static class RestoreExit
{
    public const int Restored = 0;
    public const int Usage = 1;
    public const int TargetNotEmpty = 2;
    public const int NotFound = 3;
    public const int Corrupt = 4;
    public const int Failed = 5;
}

/// <summary>
/// The operator's restore (docs/backup-runbook.md): the backup is downloaded to a scratch file through its checksum
/// first, so a tampered file never touches the target; then it is restored into the named database, which is refused
/// when it already holds objects unless <c>force</c> (then it is dropped and created again from template0).
/// </summary>
public sealed class BackupRestorer(Db db, BackupStore backups, IBlobStore blobs, OffsiteStore offsite, BackupBlobWriter writer,
    IOptions<BackupOptions> options)
{
    public async Task<int> RestoreAsync(Guid backupId, string target, bool force, TextWriter log, CancellationToken ct)
    {
        var backup = await backups.GetAsync(backupId, ct);
        if (backup is null || backup.Status != BackupStatus.Succeeded || backup.Manifest is null)
        {
            await log.WriteLineAsync($"No successful backup {backupId}.");
            return RestoreExit.NotFound;
        }
        var manifest = JsonSerializer.Deserialize<BackupManifest>(backup.Manifest, Json.Options)!;
        var postgres = backup.Provider == "postgresql";
        var admin = new DatabaseAdmin(db, options.Value.MaintenanceDatabase);
        if (postgres && db.ProviderName != backup.Provider)
        {
            await log.WriteLineAsync("This is a PostgreSQL backup; configure Database:Provider=PostgreSql and the server to restore into.");
            return RestoreExit.Usage;
        }

        var exists = postgres ? await admin.ExistsAsync(target, ct) : File.Exists(target) && new FileInfo(target).Length > 0;
        if (exists && !force && (!postgres || await admin.HasObjectsAsync(target, ct)))
        {
            await log.WriteLineAsync($"Refusing to restore: '{target}' is not empty. Re-run with --force to replace it (everything in it is lost).");
            return RestoreExit.TargetNotEmpty;
        }

        var scratch = Path.Combine(Path.GetTempPath(), $"platform-restore-{backup.Id:N}-{Guid.NewGuid():N}.dump");
        try
        {
            await log.WriteLineAsync($"Downloading backup {backup.Id} ({backup.SizeBytes:N0} bytes) and checking its SHA-256...");
            var problem = await DownloadAsync(backup, scratch, ct);
            if (problem is not null)
            {
                await log.WriteLineAsync(problem + " The target was not touched.");
                return RestoreExit.Corrupt;
            }
            return postgres
                ? await RestorePostgresAsync(admin, manifest, scratch, target, exists, log, ct)
                : await RestoreSqliteAsync(scratch, target, log, ct);
        }
        finally
        {
            File.Delete(scratch);
        }
    }

    private async Task<string?> DownloadAsync(Platform.Data.Backup backup, string scratch, CancellationToken ct)
    {
        var store = backup.LocalDeletedAt is null ? blobs : offsite.Store ?? throw new InvalidOperationException("Only an off-site copy exists and no off-site store is configured.");
        await using var hashing = new HashingStream(await store.OpenReadAsync(backup.BlobKey, ct));
        var plain = writer.Plaintext(hashing, backup.Encrypted); // disposed after the hash is read: it owns the hashing stream
        try
        {
            await using var file = File.Create(scratch);
            await plain.CopyToAsync(file, ct);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            return $"Decryption failed: {ex.Message}.";
        }
        var sha = hashing.FinishHash();
        await plain.DisposeAsync();
        return sha == backup.Sha256 ? null : $"Checksum mismatch: expected {backup.Sha256}, got {sha}.";
    }

    private async Task<int> RestorePostgresAsync(DatabaseAdmin admin, BackupManifest manifest, string dump, string target, bool exists,
        TextWriter log, CancellationToken ct)
    {
        if (exists)
        {
            await log.WriteLineAsync($"Dropping '{target}' (--force)...");
            await admin.DropAsync(target, ct);
        }
        await admin.CreateAsync(target, ct);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var (exit, errors) = await new PgRestore(options.Value.PgRestorePath).FromFileAsync(admin.For(target), dump, Math.Max(1, Environment.ProcessorCount), ct);
        if (exit != 0)
        {
            await log.WriteLineAsync($"pg_restore exited with {exit}: {errors}");
            return RestoreExit.Failed;
        }
        var counts = await admin.CountRowsAsync(target, manifest.TableRowCounts.Keys, ct);
        var differ = manifest.TableRowCounts.Where(e => counts.GetValueOrDefault(e.Key) != e.Value).Select(e => e.Key).ToList();
        await log.WriteLineAsync($"Restored into '{target}' in {watch.Elapsed.TotalSeconds:F1} s; {counts.Count} tables, {counts.Values.Sum()} rows.");
        if (differ.Count > 0)
        {
            await log.WriteLineAsync("Row counts differ from the manifest in: " + string.Join(", ", differ));
            return RestoreExit.Failed;
        }
        return RestoreExit.Restored;
    }

    private static async Task<int> RestoreSqliteAsync(string gzipped, string target, TextWriter log, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        var temp = target + ".restoring";
        await using (var gzip = new GZipStream(File.OpenRead(gzipped), CompressionMode.Decompress))
        await using (var file = File.Create(temp))
        {
            await gzip.CopyToAsync(file, ct);
        }
        File.Move(temp, target, overwrite: true);
        File.Delete(target + "-wal");
        File.Delete(target + "-shm");
        await log.WriteLineAsync($"Restored into '{target}'.");
        return RestoreExit.Restored;
    }
}
