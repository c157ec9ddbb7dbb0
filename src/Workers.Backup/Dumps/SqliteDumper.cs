using System.IO.Compression;
using Dapper;
using Microsoft.Data.Sqlite;
using Platform.Data;

namespace Platform.Workers.Backup.Dumps;

/// <summary>SQLite's online backup API into a scratch file (consistent while others write), gzip, then into the blob store.</summary>
public sealed class SqliteDumper(Db db, BackupBlobWriter writer) : IDatabaseDumper
{
    public string Provider => "sqlite";

    public async Task<DumpResult> DumpAsync(string blobKey, CancellationToken ct)
    {
        var scratch = Path.Combine(Path.GetTempPath(), $"platform-backup-{Guid.NewGuid():N}.db");
        try
        {
            await using (var source = (SqliteConnection)await db.OpenAsync(ct))
            await using (var target = new SqliteConnection($"Data Source={scratch};Pooling=False"))
            {
                await target.OpenAsync(ct);
                source.BackupDatabase(target);
            }
            var (version, counts) = await ReadFactsAsync(scratch, ct);

            await using (var file = File.OpenRead(scratch))
            await using (var gzip = new GZipStream(File.Create(scratch + ".gz"), CompressionLevel.Optimal))
            {
                await file.CopyToAsync(gzip, ct);
            }
            var (size, sha) = await writer.WriteAsync(blobKey, File.OpenRead(scratch + ".gz"), ct);
            return new DumpResult(size, sha, "sqlite-gzip", version, counts, writer.Encrypts);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(scratch);
            File.Delete(scratch + ".gz");
        }
    }

    private static async Task<(string, IReadOnlyDictionary<string, long>)> ReadFactsAsync(string file, CancellationToken ct)
    {
        await using var c = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        await c.OpenAsync(ct);
        var version = await c.ExecuteScalarAsync<string>("SELECT sqlite_version()") ?? "";
        var tables = await c.QueryAsync<string>(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'chunk_fts_%' ORDER BY name");
        var counts = new SortedDictionary<string, long>();
        foreach (var table in tables)
        {
            counts[table] = await c.ExecuteScalarAsync<long>($"SELECT count(*) FROM \"{table}\"");
        }
        return ("SQLite " + version, counts);
    }
}
