using System.ComponentModel;
using System.Data;
using System.Data.Common;
using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Platform.Blobs;
using Platform.Data;
using Platform.Jobs;

namespace Platform.Workers.Backup.Dumps;

/// <summary>
/// <c>pg_dump -Fc</c> (custom format: compressed, restorable table by table with pg_restore), streamed from the
/// child's stdout through a SHA-256 hash into the blob store; nothing is buffered whole. The row counts of the
/// manifest are taken in a transaction whose snapshot pg_dump imports (<c>--snapshot</c>), so they describe exactly
/// the data in the dump and verification can compare them.
/// </summary>
public sealed class PgDumpDumper(Db db, BackupBlobWriter writer, IBlobStore blobs, IOptions<BackupOptions> options) : IDatabaseDumper
{
    public string Provider => "postgresql";

    public async Task<DumpResult> DumpAsync(string blobKey, CancellationToken ct)
    {
        await using var snapshotConnection = await PgTools.OpenAsync(db, ct);
        await using var tx = await snapshotConnection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var snapshot = await snapshotConnection.ExecuteScalarAsync<string>("SELECT pg_export_snapshot()", transaction: tx) ?? "";
        var (version, counts) = await ReadFactsAsync(snapshotConnection, tx);

        var cs = new NpgsqlConnectionStringBuilder(db.ConnectionString);
        var start = PgTools.StartInfo(options.Value.PgDumpPath, cs, cs.Database ?? "postgres");
        start.ArgumentList.Add("--format=custom");
        start.ArgumentList.Add($"--snapshot={snapshot}");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.DumpTimeout);
        using var process = PgTools.Start(start);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            var (size, sha) = await writer.WriteAsync(blobKey, process.StandardOutput.BaseStream, timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0)
            {
                throw new JobFailureException(ReasonCodes.BackupFailed, $"pg_dump exited with {process.ExitCode}: {(await stderr).Trim()}");
            }
            return new DumpResult(size, sha, "pg_dump-custom", version, counts, writer.Encrypts);
        }
        catch (Exception ex)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            await DeletePartialAsync(blobKey);
            if (ct.IsCancellationRequested)
            {
                // Cancelled or shutting down: whatever pg_dump's exit code after the kill, the job runner decides.
                throw new OperationCanceledException("pg_dump stopped: the job was cancelled or the worker is stopping.", ex, ct);
            }
            if (ex is OperationCanceledException)
            {
                throw new JobFailureException(ReasonCodes.Timeout, $"pg_dump ran longer than {options.Value.DumpTimeout}.");
            }
            if (ex is not JobFailureException && process.HasExited && process.ExitCode != 0)
            {
                // pg_dump died and the store saw a broken stream: the tool's own words are the useful reason.
                throw new JobFailureException(ReasonCodes.BackupFailed, $"pg_dump exited with {process.ExitCode}: {(await stderr).Trim()}");
            }
            throw;
        }
    }

    private async Task DeletePartialAsync(string blobKey)
    {
        try
        {
            await blobs.DeleteAsync(blobKey, CancellationToken.None);
        }
        catch (Exception)
        {
            // The store itself may be what failed; the local store never exposes partial files anyway.
        }
    }

    private static async Task<(string Version, IReadOnlyDictionary<string, long> Counts)> ReadFactsAsync(DbConnection c, DbTransaction tx)
    {
        var version = await c.ExecuteScalarAsync<string>("SHOW server_version", transaction: tx) ?? "";
        var tables = await c.QueryAsync<string>(
            "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
            transaction: tx);
        var counts = new SortedDictionary<string, long>();
        foreach (var table in tables)
        {
            counts[table] = await c.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}", transaction: tx);
        }
        return (version, counts);
    }
}
