using System.ComponentModel;
using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Platform.Infrastructure.Blobs;
using Platform.Infrastructure.Data;
using Platform.Infrastructure.Jobs;

namespace Platform.Workers.Backup.Dumps;

/// <summary>
/// <c>pg_dump -Fc</c> (custom format: compressed, restorable table by table with pg_restore), streamed from the
/// child's stdout through a SHA-256 hash into the blob store; nothing is buffered whole.
/// </summary>
public sealed class PgDumpDumper(Db db, IBlobStore blobs, IOptions<BackupOptions> options) : IDatabaseDumper
{
    public string Provider => "postgresql";

    public async Task<DumpResult> DumpAsync(string blobKey, CancellationToken ct)
    {
        var (version, counts) = await ReadFactsAsync(ct);
        var cs = new NpgsqlConnectionStringBuilder(db.ConnectionString);
        var start = new ProcessStartInfo(options.Value.PgDumpPath)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            ArgumentList = { "--format=custom", "--no-password", "--host", cs.Host ?? "localhost", "--port", cs.Port.ToString(),
                "--username", cs.Username ?? "postgres", "--dbname", cs.Database ?? "postgres" },
        };
        if (!string.IsNullOrEmpty(cs.Password))
        {
            start.Environment["PGPASSWORD"] = cs.Password;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.DumpTimeout);
        using var process = StartProcess(start);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await using var hashing = new HashingStream(process.StandardOutput.BaseStream);
            var size = await blobs.PutAsync(blobKey, hashing, timeout.Token);
            var sha = hashing.FinishHash();
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0)
            {
                throw new JobFailureException(ReasonCodes.BackupFailed, $"pg_dump exited with {process.ExitCode}: {(await stderr).Trim()}");
            }
            return new DumpResult(size, sha, "pg_dump-custom", version, counts);
        }
        catch (Exception ex)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            await blobs.DeleteAsync(blobKey, CancellationToken.None);
            if (ex is OperationCanceledException && !ct.IsCancellationRequested)
            {
                throw new JobFailureException(ReasonCodes.Timeout, $"pg_dump ran longer than {options.Value.DumpTimeout}.");
            }
            throw;
        }
    }

    private static Process StartProcess(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new JobFailureException(ReasonCodes.ToolMissing, $"{start.FileName} did not start.");
        }
        catch (Win32Exception ex)
        {
            throw new JobFailureException(ReasonCodes.ToolMissing,
                $"{start.FileName} could not be started ({ex.Message}). Install the PostgreSQL client (postgresql-client) or set Backup:PgDumpPath.");
        }
    }

    private async Task<(string Version, IReadOnlyDictionary<string, long> Counts)> ReadFactsAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var version = await c.ExecuteScalarAsync<string>("SHOW server_version") ?? "";
        var tables = await c.QueryAsync<string>(
            "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1");
        var counts = new SortedDictionary<string, long>();
        foreach (var table in tables)
        {
            counts[table] = await c.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
        }
        return (version, counts);
    }
}
