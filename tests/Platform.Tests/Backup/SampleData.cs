using Dapper;
using Npgsql;

namespace Platform.Tests.Backup;

/// <summary>Puts rows into every table of a migrated platform database, the Quartz tables included.</summary>
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
            INSERT INTO qrtz_job_details VALUES ('s', 'j', 'g', null, 'Job', true, false, false, false, null);
            INSERT INTO qrtz_triggers (sched_name, trigger_name, trigger_group, job_name, job_group, trigger_state, trigger_type, start_time)
                VALUES ('s', 't', 'g', 'j', 'g', 'WAITING', 'CRON', 0), ('s', 't2', 'g', 'j', 'g', 'WAITING', 'SIMPLE', 0),
                       ('s', 't3', 'g', 'j', 'g', 'WAITING', 'BLOB', 0), ('s', 't4', 'g', 'j', 'g', 'WAITING', 'CAL_INT', 0);
            INSERT INTO qrtz_cron_triggers VALUES ('s', 't', 'g', '0 0 2 * * ?', 'UTC');
            INSERT INTO qrtz_simple_triggers VALUES ('s', 't2', 'g', 1, 1000, 0);
            INSERT INTO qrtz_blob_triggers VALUES ('s', 't3', 'g', '\x00');
            INSERT INTO qrtz_simprop_triggers (sched_name, trigger_name, trigger_group, str_prop_1) VALUES ('s', 't4', 'g', 'x');
            INSERT INTO qrtz_calendars VALUES ('s', 'c', '\x00');
            INSERT INTO qrtz_paused_trigger_grps (sched_name, trigger_group) VALUES ('s', 'g');
            INSERT INTO qrtz_paused_job_grps (sched_name, job_group) VALUES ('s', 'g');
            INSERT INTO qrtz_fired_triggers (sched_name, entry_id, trigger_name, trigger_group, instance_name, fired_time, sched_time, priority, state, is_nonconcurrent)
                VALUES ('s', 'e', 't', 'g', 'i', 0, 0, 5, 'EXECUTING', false);
            INSERT INTO qrtz_scheduler_state (sched_name, instance_name, last_checkin_time, checkin_interval) VALUES ('s', 'i', 0, 1000);
            INSERT INTO qrtz_locks VALUES ('s', 'TRIGGER_ACCESS');
            INSERT INTO data_protection_keys (name, xml, created_at) VALUES ('key-1', '<key id="1" version="1" />', now());
            INSERT INTO schedule_outcomes (job_group, job_name, fired_at, outcome, error, run_ms) VALUES ('g', 'j', now(), 'failed', 'x', 12.5);
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
