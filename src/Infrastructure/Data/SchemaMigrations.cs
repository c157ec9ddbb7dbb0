namespace Platform.Infrastructure.Data;

/// <summary>
/// The schema, as numbered steps per dialect. Steps are only ever appended: a deployed step never changes.
/// </summary>
internal static class SchemaMigrations
{
    public sealed record Step(int Version, string PostgreSql, string Sqlite);

    public static readonly IReadOnlyList<Step> All =
    [
        new(1,
            """
            CREATE TABLE jobs (
                id uuid PRIMARY KEY,
                tenant_id text NOT NULL,
                type text NOT NULL,
                status text NOT NULL,
                progress integer NOT NULL DEFAULT 0,
                attempts integer NOT NULL DEFAULT 0,
                error_code text,
                error_message text,
                input text,
                result text,
                document_id uuid,
                correlation_id uuid,
                cancel_requested boolean NOT NULL DEFAULT false,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL,
                dispatched_at timestamptz,
                started_at timestamptz,
                finished_at timestamptz,
                heartbeat_at timestamptz
            );
            CREATE INDEX ix_jobs_tenant_created ON jobs (tenant_id, created_at DESC);
            CREATE INDEX ix_jobs_status_updated ON jobs (status, updated_at);

            CREATE TABLE documents (
                id uuid PRIMARY KEY,
                tenant_id text NOT NULL,
                file_name text NOT NULL,
                content_type text NOT NULL,
                size_bytes bigint NOT NULL,
                sha256 text NOT NULL,
                blob_key text NOT NULL,
                status text NOT NULL,
                page_count integer NOT NULL DEFAULT 0,
                chunk_count integer NOT NULL DEFAULT 0,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL
            );
            CREATE INDEX ix_documents_tenant_sha ON documents (tenant_id, sha256);

            CREATE TABLE chunks (
                id uuid PRIMARY KEY,
                tenant_id text NOT NULL,
                document_id uuid NOT NULL,
                ordinal integer NOT NULL,
                page_start integer NOT NULL,
                page_end integer NOT NULL,
                heading_path text NOT NULL,
                kind text NOT NULL,
                char_start integer NOT NULL,
                char_end integer NOT NULL,
                content text NOT NULL,
                content_hash text NOT NULL,
                search_text text NOT NULL,
                embedding bytea,
                embedding_model text,
                embedded_at timestamptz,
                created_at timestamptz NOT NULL,
                search_tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED,
                UNIQUE (document_id, ordinal)
            );
            CREATE INDEX ix_chunks_tenant ON chunks (tenant_id, embedded_at);
            CREATE INDEX ix_chunks_tsv ON chunks USING gin (search_tsv);

            CREATE TABLE backups (
                id uuid PRIMARY KEY,
                job_id uuid NOT NULL UNIQUE,
                status text NOT NULL,
                provider text NOT NULL,
                blob_key text NOT NULL,
                size_bytes bigint NOT NULL DEFAULT 0,
                sha256 text,
                manifest text,
                error_message text,
                started_at timestamptz NOT NULL,
                finished_at timestamptz,
                verified_at timestamptz,
                verify_status text,
                restore_ms bigint
            );
            CREATE INDEX ix_backups_started ON backups (started_at DESC);
            """,
            """
            CREATE TABLE jobs (
                id TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL,
                type TEXT NOT NULL,
                status TEXT NOT NULL,
                progress INTEGER NOT NULL DEFAULT 0,
                attempts INTEGER NOT NULL DEFAULT 0,
                error_code TEXT,
                error_message TEXT,
                input TEXT,
                result TEXT,
                document_id TEXT,
                correlation_id TEXT,
                cancel_requested INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                dispatched_at TEXT,
                started_at TEXT,
                finished_at TEXT,
                heartbeat_at TEXT
            );
            CREATE INDEX ix_jobs_tenant_created ON jobs (tenant_id, created_at DESC);
            CREATE INDEX ix_jobs_status_updated ON jobs (status, updated_at);

            CREATE TABLE documents (
                id TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL,
                file_name TEXT NOT NULL,
                content_type TEXT NOT NULL,
                size_bytes INTEGER NOT NULL,
                sha256 TEXT NOT NULL,
                blob_key TEXT NOT NULL,
                status TEXT NOT NULL,
                page_count INTEGER NOT NULL DEFAULT 0,
                chunk_count INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            );
            CREATE INDEX ix_documents_tenant_sha ON documents (tenant_id, sha256);

            CREATE TABLE chunks (
                id TEXT PRIMARY KEY,
                tenant_id TEXT NOT NULL,
                document_id TEXT NOT NULL,
                ordinal INTEGER NOT NULL,
                page_start INTEGER NOT NULL,
                page_end INTEGER NOT NULL,
                heading_path TEXT NOT NULL,
                kind TEXT NOT NULL,
                char_start INTEGER NOT NULL,
                char_end INTEGER NOT NULL,
                content TEXT NOT NULL,
                content_hash TEXT NOT NULL,
                search_text TEXT NOT NULL,
                embedding BLOB,
                embedding_model TEXT,
                embedded_at TEXT,
                created_at TEXT NOT NULL,
                UNIQUE (document_id, ordinal)
            );
            CREATE INDEX ix_chunks_tenant ON chunks (tenant_id, embedded_at);
            CREATE VIRTUAL TABLE chunk_fts USING fts5(
                search_text, chunk_id UNINDEXED, tenant_id UNINDEXED, document_id UNINDEXED, tokenize = 'unicode61');

            CREATE TABLE backups (
                id TEXT PRIMARY KEY,
                job_id TEXT NOT NULL UNIQUE,
                status TEXT NOT NULL,
                provider TEXT NOT NULL,
                blob_key TEXT NOT NULL,
                size_bytes INTEGER NOT NULL DEFAULT 0,
                sha256 TEXT,
                manifest TEXT,
                error_message TEXT,
                started_at TEXT NOT NULL,
                finished_at TEXT,
                verified_at TEXT,
                verify_status TEXT,
                restore_ms INTEGER
            );
            CREATE INDEX ix_backups_started ON backups (started_at DESC);
            """),

        // Step 3 (backups): verification detail, off-site copy and local deletion, and the Quartz.NET job store
        // (clustered scheduling on PostgreSQL; the column set is the one Quartz.NET 4.x's AdoJobStore reads and writes,
        // from its database/tables/tables_postgres.sql). SQLite hosts one scheduler in memory and needs no tables.
        new(3,
            """
            ALTER TABLE backups ADD COLUMN verify_error text;
            ALTER TABLE backups ADD COLUMN offsite_at timestamptz;
            ALTER TABLE backups ADD COLUMN local_deleted_at timestamptz;
            ALTER TABLE backups ADD COLUMN encrypted boolean NOT NULL DEFAULT false;

            CREATE TABLE qrtz_job_details (
                sched_name text NOT NULL, job_name text NOT NULL, job_group text NOT NULL, description text,
                job_class_name text NOT NULL, is_durable bool NOT NULL, is_nonconcurrent bool NOT NULL,
                is_update_data bool NOT NULL, requests_recovery bool NOT NULL, job_data bytea,
                PRIMARY KEY (sched_name, job_name, job_group));
            CREATE TABLE qrtz_triggers (
                sched_name text NOT NULL, trigger_name text NOT NULL, trigger_group text NOT NULL,
                job_name text NOT NULL, job_group text NOT NULL, description text,
                next_fire_time bigint, prev_fire_time bigint, priority integer,
                trigger_state text NOT NULL, trigger_type text NOT NULL, start_time bigint NOT NULL, end_time bigint,
                calendar_name text, misfire_instr smallint, misfire_orig_fire_time bigint,
                execution_group varchar(200), preferred_node varchar(200), preferred_node_auto bool NOT NULL DEFAULT false,
                job_data bytea,
                PRIMARY KEY (sched_name, trigger_name, trigger_group),
                FOREIGN KEY (sched_name, job_name, job_group) REFERENCES qrtz_job_details (sched_name, job_name, job_group));
            CREATE TABLE qrtz_simple_triggers (
                sched_name text NOT NULL, trigger_name text NOT NULL, trigger_group text NOT NULL,
                repeat_count bigint NOT NULL, repeat_interval bigint NOT NULL, times_triggered bigint NOT NULL,
                PRIMARY KEY (sched_name, trigger_name, trigger_group),
                FOREIGN KEY (sched_name, trigger_name, trigger_group)
                    REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE);
            CREATE TABLE qrtz_simprop_triggers (
                sched_name text NOT NULL, trigger_name text NOT NULL, trigger_group text NOT NULL,
                str_prop_1 text, str_prop_2 text, str_prop_3 text, int_prop_1 integer, int_prop_2 integer,
                long_prop_1 bigint, long_prop_2 bigint, dec_prop_1 numeric, dec_prop_2 numeric,
                bool_prop_1 bool, bool_prop_2 bool, time_zone_id text,
                PRIMARY KEY (sched_name, trigger_name, trigger_group),
                FOREIGN KEY (sched_name, trigger_name, trigger_group)
                    REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE);
            CREATE TABLE qrtz_cron_triggers (
                sched_name text NOT NULL, trigger_name text NOT NULL, trigger_group text NOT NULL,
                cron_expression text NOT NULL, time_zone_id text,
                PRIMARY KEY (sched_name, trigger_name, trigger_group),
                FOREIGN KEY (sched_name, trigger_name, trigger_group)
                    REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE);
            CREATE TABLE qrtz_blob_triggers (
                sched_name text NOT NULL, trigger_name text NOT NULL, trigger_group text NOT NULL, blob_data bytea,
                PRIMARY KEY (sched_name, trigger_name, trigger_group),
                FOREIGN KEY (sched_name, trigger_name, trigger_group)
                    REFERENCES qrtz_triggers (sched_name, trigger_name, trigger_group) ON DELETE CASCADE);
            CREATE TABLE qrtz_calendars (
                sched_name text NOT NULL, calendar_name text NOT NULL, calendar bytea NOT NULL,
                PRIMARY KEY (sched_name, calendar_name));
            CREATE TABLE qrtz_paused_trigger_grps (
                sched_name text NOT NULL, trigger_group text NOT NULL, PRIMARY KEY (sched_name, trigger_group));
            CREATE TABLE qrtz_fired_triggers (
                sched_name text NOT NULL, entry_id text NOT NULL, trigger_name text NOT NULL, trigger_group text NOT NULL,
                instance_name text NOT NULL, fired_time bigint NOT NULL, sched_time bigint NOT NULL, priority integer NOT NULL,
                state text NOT NULL, job_name text, job_group text, is_nonconcurrent bool NOT NULL, requests_recovery bool,
                execution_group varchar(200),
                PRIMARY KEY (sched_name, entry_id));
            CREATE TABLE qrtz_scheduler_state (
                sched_name text NOT NULL, instance_name text NOT NULL, last_checkin_time bigint NOT NULL,
                checkin_interval bigint NOT NULL, PRIMARY KEY (sched_name, instance_name));
            CREATE TABLE qrtz_locks (sched_name text NOT NULL, lock_name text NOT NULL, PRIMARY KEY (sched_name, lock_name));
            CREATE INDEX idx_qrtz_j_req_recovery ON qrtz_job_details (sched_name, requests_recovery);
            CREATE INDEX idx_qrtz_j_g_n ON qrtz_job_details (sched_name, job_group, job_name);
            CREATE INDEX idx_qrtz_t_next_fire_time ON qrtz_triggers (sched_name, next_fire_time);
            CREATE INDEX idx_qrtz_t_state ON qrtz_triggers (sched_name, trigger_state);
            CREATE INDEX idx_qrtz_t_nft_st ON qrtz_triggers (sched_name, trigger_state, next_fire_time);
            CREATE INDEX idx_qrtz_t_g_n ON qrtz_triggers (sched_name, trigger_group, trigger_name);
            CREATE INDEX idx_qrtz_ft_trig_nm_gp ON qrtz_fired_triggers (sched_name, trigger_name, trigger_group);
            CREATE INDEX idx_qrtz_ft_trig_inst_name ON qrtz_fired_triggers (sched_name, instance_name);
            CREATE INDEX idx_qrtz_ft_job_req_recovery ON qrtz_fired_triggers (requests_recovery);
            """,
            """
            ALTER TABLE backups ADD COLUMN verify_error TEXT;
            ALTER TABLE backups ADD COLUMN offsite_at TEXT;
            ALTER TABLE backups ADD COLUMN local_deleted_at TEXT;
            ALTER TABLE backups ADD COLUMN encrypted INTEGER NOT NULL DEFAULT 0;
            """),
    ];
}
