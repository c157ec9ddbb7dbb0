using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Platform.Blobs;
using Platform.Data;
using Platform.Jobs;
using Platform.ServiceDefaults;
using BackupRow = Platform.Data.Backup;

namespace Platform.Workers.Backup.Verification;

/// <summary>How a verification ended. <see cref="Problem"/> is null when checksum, restore and row counts all matched.</summary>
public sealed record VerificationResult(Guid BackupId, bool Passed, long RestoreMs, string? Problem, string Source,
    IReadOnlyDictionary<string, long>? RestoredRowCounts);

/// <summary>
/// Proves a backup restores: reads it from the store through a SHA-256, restores it into a scratch database
/// (PostgreSQL: created from template0, dropped afterwards; SQLite: a scratch file), and compares every table's row
/// count with the manifest. One pass over the file: the hash is checked after the restore has consumed the stream.
/// </summary>
public sealed class BackupVerifier(Db db, IBlobStore blobs, OffsiteStore offsite, BackupBlobWriter writer, IOptions<BackupOptions> options,
    ILogger<BackupVerifier> logger)
{
    public async Task<VerificationResult> VerifyAsync(BackupRow backup, CancellationToken ct)
    {
        var manifest = backup.Manifest is null ? null : JsonSerializer.Deserialize<BackupManifest>(backup.Manifest, Json.Options);
        if (backup.Status != BackupStatus.Succeeded || manifest is null || backup.Sha256 is null)
        {
            throw new JobFailureException(ReasonCodes.InvalidInput, $"Backup {backup.Id} is {backup.Status}; only a successful backup can be verified.");
        }
        var (store, source) = backup.LocalDeletedAt is null ? (blobs, "primary")
            : offsite.Store is { } off && backup.OffsiteAt is not null ? (off, "offsite")
            : throw new JobFailureException(ReasonCodes.NotFound, $"Backup {backup.Id} has no copy left in any store.");

        Stream stored;
        try
        {
            stored = await store.OpenReadAsync(backup.BlobKey, ct);
        }
        catch (BlobNotFoundException)
        {
            return new VerificationResult(backup.Id, false, 0, $"The backup file {backup.BlobKey} is missing from the {source} store.", source, null);
        }

        await using var hashing = new HashingStream(stored);
        var watch = Stopwatch.StartNew();
        string? restoreProblem;
        IReadOnlyDictionary<string, long>? restored = null;
        // Not disposed before the hash is read: disposing it would dispose the hashing stream under it.
        var plain = writer.Plaintext(hashing, backup.Encrypted);
        try
        {
            (restoreProblem, restored) = backup.Provider == "postgresql"
                ? await RestorePostgresAsync(backup, plain, manifest, ct)
                : await RestoreSqliteAsync(plain, manifest, ct);
        }
        catch (CryptographicException ex)
        {
            restoreProblem = $"Decryption failed: {ex.Message}";
            await hashing.CopyToAsync(Stream.Null, ct);
        }
        catch (InvalidDataException ex)
        {
            restoreProblem = $"The file does not decompress: {ex.Message}";
            await hashing.CopyToAsync(Stream.Null, ct);
        }
        var restoreMs = watch.ElapsedMilliseconds;

        var sha = hashing.FinishHash();
        await plain.DisposeAsync();
        // A checksum mismatch explains any restore failure, so it is reported first.
        var problem = sha != backup.Sha256
            ? $"Checksum mismatch: the manifest says {backup.Sha256}, the stored file ({hashing.BytesRead} of {backup.SizeBytes} bytes) hashes to {sha}."
            : hashing.BytesRead != backup.SizeBytes ? $"Size mismatch: {hashing.BytesRead} bytes stored, {backup.SizeBytes} recorded."
            : restoreProblem;
        logger.LogInformation("Verification of backup {BackupId} from the {Source} store: {Outcome} in {RestoreMs} ms",
            backup.Id, source, problem ?? "passed", restoreMs);
        return new VerificationResult(backup.Id, problem is null, restoreMs, problem, source, restored);
    }

    private async Task<(string?, IReadOnlyDictionary<string, long>?)> RestorePostgresAsync(BackupRow backup, Stream dump, BackupManifest manifest,
        CancellationToken ct)
    {
        var admin = new DatabaseAdmin(db, options.Value.MaintenanceDatabase);
        var scratch = $"verify_{backup.Id:N}_{Random.Shared.Next(100_000, 999_999)}";
        await admin.CreateAsync(scratch, ct);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.Value.VerifyTimeout);
            var (exit, errors) = await new PgRestore(options.Value.PgRestorePath).FromStreamAsync(admin.For(scratch), dump, timeout.Token);
            if (exit != 0)
            {
                return ($"pg_restore exited with {exit}: {errors}", null);
            }
            var counts = await admin.CountRowsAsync(scratch, manifest.TableRowCounts.Keys, ct);
            return (CompareCounts(manifest.TableRowCounts, counts), counts.Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value!.Value));
        }
        finally
        {
            await admin.DropAsync(scratch, CancellationToken.None);
        }
    }

    private static async Task<(string?, IReadOnlyDictionary<string, long>?)> RestoreSqliteAsync(Stream gzipped, BackupManifest manifest, CancellationToken ct)
    {
        var scratch = Path.Combine(Path.GetTempPath(), $"platform-verify-{Guid.NewGuid():N}.db");
        try
        {
            await using (var gzip = new GZipStream(gzipped, CompressionMode.Decompress, leaveOpen: true))
            await using (var file = File.Create(scratch))
            {
                await gzip.CopyToAsync(file, ct);
            }
            await using var c = new SqliteConnection($"Data Source={scratch};Mode=ReadOnly;Pooling=False");
            await c.OpenAsync(ct);
            var integrity = await c.ExecuteScalarAsync<string>("PRAGMA integrity_check");
            if (integrity != "ok")
            {
                return ($"SQLite integrity check failed: {integrity}", null);
            }
            var counts = new Dictionary<string, long?>();
            foreach (var table in manifest.TableRowCounts.Keys)
            {
                var exists = await c.ExecuteScalarAsync<long>("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @table", new { table });
                counts[table] = exists > 0 ? await c.ExecuteScalarAsync<long>($"SELECT count(*) FROM \"{table.Replace("\"", "\"\"")}\"") : null;
            }
            return (CompareCounts(manifest.TableRowCounts, counts), counts.Where(c => c.Value is not null).ToDictionary(c => c.Key, c => c.Value!.Value));
        }
        catch (SqliteException ex)
        {
            return ($"The restored SQLite file does not open: {ex.Message}", null);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(scratch);
        }
    }

    private static string? CompareCounts(IReadOnlyDictionary<string, long> expected, IReadOnlyDictionary<string, long?> actual)
    {
        var differences = expected
            .Where(e => actual.GetValueOrDefault(e.Key) != e.Value)
            .Select(e => actual.GetValueOrDefault(e.Key) is { } n ? $"{e.Key}: {n} rows, manifest {e.Value}" : $"{e.Key}: missing")
            .ToList();
        return differences.Count == 0 ? null : "Row counts differ from the manifest: " + string.Join("; ", differences);
    }
}
