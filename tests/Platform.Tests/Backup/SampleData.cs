using Dapper;
using Npgsql;

namespace Platform.Tests.Backup;

/// <summary>Puts rows into every table of a migrated platform database.</summary>
public static class SampleData
{
    public static async Task FillEveryTableAsync(string connectionString)
    {
        await using var c = new NpgsqlConnection(connectionString);
        await c.OpenAsync();
        var now = DateTimeOffset.UtcNow;
        for (var d = 0; d < 3; d++)
        {
            var documentId = Guid.NewGuid();
            await c.ExecuteAsync(
                """
                INSERT INTO jobs (id, tenant_id, type, status, created_at, updated_at, document_id) VALUES (@job, 'acme', 'ingest', 'succeeded', @now, @now, @documentId);
                INSERT INTO documents (id, tenant_id, file_name, content_type, size_bytes, sha256, blob_key, status, created_at, updated_at)
                VALUES (@documentId, 'acme', 'guide.md', 'text/markdown', 10, 'abc', 'uploads/x', 'ready', @now, @now);
                INSERT INTO backups (id, job_id, status, provider, blob_key, started_at) VALUES (@backup, @backupJob, 'failed', 'postgresql', 'backups/old.dump', @now);
                """, new { job = Guid.NewGuid(), documentId, backup = Guid.NewGuid(), backupJob = Guid.NewGuid(), now });
            for (var i = 0; i < 25; i++)
            {
                await c.ExecuteAsync(
                    """
                    INSERT INTO chunks (id, tenant_id, document_id, ordinal, page_start, page_end, heading_path, kind, char_start, char_end,
                                        content, content_hash, search_text, embedding, created_at)
                    VALUES (@id, 'acme', @documentId, @i, 1, 1, 'Guide', 'text', 0, 10, @content, 'h', @content, @vector, @now)
                    """, new { id = Guid.NewGuid(), documentId, i, content = $"chunk {i} of document {d}: backups restore", vector = new byte[] { 1, 2, 3, 4 }, now });
            }
            var chunkId = Guid.NewGuid();
            await c.ExecuteAsync(
                """
                INSERT INTO graph_entities (tenant_id, key, name, kind) VALUES ('acme', @a, 'Platform', 'term'), ('acme', @b, 'PostgreSQL', 'term');
                INSERT INTO graph_mentions (tenant_id, entity_key, chunk_id, document_id) VALUES ('acme', @a, @chunkId, @documentId);
                INSERT INTO graph_relations (tenant_id, source_key, target_key, relation, chunk_id, document_id)
                VALUES ('acme', @a, @b, 'co-occurs', @chunkId, @documentId);
                """, new { a = $"platform-{d}", b = $"postgresql-{d}", chunkId, documentId });
        }
        await c.ExecuteAsync(
            """
            INSERT INTO data_protection_keys (name, xml, created_at) VALUES ('key-1', '<key id="1" version="1" />', now());
            """);
    }

    /// <summary>Row counts of every public base table.</summary>
    public static async Task<Dictionary<string, long>> CountRowsAsync(string connectionString)
    {
        await using var c = new NpgsqlConnection(connectionString);
        await c.OpenAsync();
        var tables = await c.QueryAsync<string>(
            "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
        var counts = new Dictionary<string, long>();
        foreach (var t in tables)
        {
            counts[t] = await c.ExecuteScalarAsync<long>($"SELECT count(*) FROM {t}");
        }
        return counts;
    }
}
