namespace Platform.Data;

/// <summary>
/// The schema, as numbered steps. Steps are only ever appended: a deployed step never changes (SchemaStepTests pins
/// the SQL each one runs). SQL both databases accept is written once with type placeholders (<see cref="Both"/>); a
/// step forks (<see cref="Fork"/>) only where the dialects really differ: keyword indexes, the old scheduler's tables.
/// </summary>
internal static class SchemaMigrations
{
    public sealed record Step(int Version, string PostgreSql, string Sqlite)
    {
        /// <summary>A step from its parts, joined by blank lines; a part empty in one dialect is left out there.</summary>
        public static Step Of(int version, params Part[] parts) =>
            new(version, Join(parts.Select(p => p.PostgreSql)), Join(parts.Select(p => p.Sqlite)));

        private static string Join(IEnumerable<string> sql) => string.Join("\n\n", sql.Where(s => s.Length > 0));
    }

    public sealed record Part(string PostgreSql, string Sqlite);

    /// <summary>Column types as each database names them: PostgreSQL's own types; SQLite's storage classes.</summary>
    private static readonly (string Placeholder, string PostgreSql, string Sqlite)[] Types =
    [
        ("{id}", "uuid", "TEXT"),
        ("{text}", "text", "TEXT"),
        ("{int}", "integer", "INTEGER"),
        ("{bigint}", "bigint", "INTEGER"),
        ("{bool}", "boolean", "INTEGER"),
        ("{false}", "false", "0"),
        ("{time}", "timestamptz", "TEXT"),
        ("{bytes}", "bytea", "BLOB"),
        ("{real}", "double precision", "REAL"),
    ];

    /// <summary>SQL both databases run, with the placeholders of <see cref="Types"/> for column types.</summary>
    private static Part Both(string sql) =>
        new(Types.Aggregate(sql, (s, t) => s.Replace(t.Placeholder, t.PostgreSql)), Types.Aggregate(sql, (s, t) => s.Replace(t.Placeholder, t.Sqlite)));

    /// <summary>Where the dialects differ: each its own SQL (empty where one needs nothing).</summary>
    private static Part Fork(string postgreSql, string sqlite) => new(postgreSql, sqlite);

    public static readonly IReadOnlyList<Step> All =
    [
        // Step 1: jobs, documents, chunks (keyword index: a generated tsvector on PostgreSQL, an FTS5 table on SQLite), backups.
        Step.Of(1,
            Both("""
            CREATE TABLE jobs (
                id {id} PRIMARY KEY,
                tenant_id {text} NOT NULL,
                type {text} NOT NULL,
                status {text} NOT NULL,
                progress {int} NOT NULL DEFAULT 0,
                attempts {int} NOT NULL DEFAULT 0,
                error_code {text},
                error_message {text},
                input {text},
                result {text},
                document_id {id},
                correlation_id {id},
                cancel_requested {bool} NOT NULL DEFAULT {false},
                created_at {time} NOT NULL,
                updated_at {time} NOT NULL,
                dispatched_at {time},
                started_at {time},
                finished_at {time},
                heartbeat_at {time}
            );
            CREATE INDEX ix_jobs_tenant_created ON jobs (tenant_id, created_at DESC);
            CREATE INDEX ix_jobs_status_updated ON jobs (status, updated_at);

            CREATE TABLE documents (
                id {id} PRIMARY KEY,
                tenant_id {text} NOT NULL,
                file_name {text} NOT NULL,
                content_type {text} NOT NULL,
                size_bytes {bigint} NOT NULL,
                sha256 {text} NOT NULL,
                blob_key {text} NOT NULL,
                status {text} NOT NULL,
                page_count {int} NOT NULL DEFAULT 0,
                chunk_count {int} NOT NULL DEFAULT 0,
                created_at {time} NOT NULL,
                updated_at {time} NOT NULL
            );
            CREATE INDEX ix_documents_tenant_sha ON documents (tenant_id, sha256);
            """),
            Fork(
            """
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
            """,
            """
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
            """),
            Both("""
            CREATE TABLE backups (
                id {id} PRIMARY KEY,
                job_id {id} NOT NULL UNIQUE,
                status {text} NOT NULL,
                provider {text} NOT NULL,
                blob_key {text} NOT NULL,
                size_bytes {bigint} NOT NULL DEFAULT 0,
                sha256 {text},
                manifest {text},
                error_message {text},
                started_at {time} NOT NULL,
                finished_at {time},
                verified_at {time},
                verify_status {text},
                restore_ms {bigint}
            );
            CREATE INDEX ix_backups_started ON backups (started_at DESC);
            """)),
        // Step 6 (dashboard): one row per running process, refreshed by WorkerHeartbeat.
        Step.Of(6,
            Both("""
            CREATE TABLE workers (
                id {text} PRIMARY KEY,
                host {text} NOT NULL,
                role {text} NOT NULL,
                version {text} NOT NULL,
                pid {int} NOT NULL,
                consumers {text} NOT NULL,
                in_flight {int} NOT NULL DEFAULT 0,
                started_at {time} NOT NULL,
                last_heartbeat {time} NOT NULL,
                stopped_at {time}
            );
            CREATE INDEX ix_workers_heartbeat ON workers (last_heartbeat DESC);
            """)),
        // Step 3 (backups): verification detail, off-site copy and local deletion, and on PostgreSQL the qrtz_* tables of
        // the job store the scheduler used before Hangfire. Step 12 drops them again; this step stays as deployed.
        Step.Of(3,
            Both("""
            ALTER TABLE backups ADD COLUMN verify_error {text};
            ALTER TABLE backups ADD COLUMN offsite_at {time};
            ALTER TABLE backups ADD COLUMN local_deleted_at {time};
            ALTER TABLE backups ADD COLUMN encrypted {bool} NOT NULL DEFAULT {false};
            """),
            Fork(
            """
            CREATE TABLE IF NOT EXISTS qrtz_job_details (
              sched_name text not null,
              job_name text not null,
              job_group text not null,
              description text null,
              job_class_name text not null,
              is_durable bool not null,
              is_nonconcurrent bool not null,
              is_update_data bool not null,
              requests_recovery bool not null,
              job_data bytea null,
              primary key (sched_name,job_name,job_group)
            );
            CREATE TABLE IF NOT EXISTS qrtz_triggers (
              sched_name text not null,
              trigger_name text not null,
              trigger_group text not null,
              job_name text not null,
              job_group text not null,
              description text null,
              next_fire_time bigint null,
              prev_fire_time bigint null,
              priority integer null,
              trigger_state text not null,
              trigger_type text not null,
              start_time bigint not null,
              end_time bigint null,
              calendar_name text null,
              misfire_instr smallint null,
              misfire_orig_fire_time bigint null,
              execution_group varchar(200) null,
              preferred_node varchar(200) null,
              preferred_node_auto bool not null default false,
              retry_policy varchar(250) null,
              retry_attempt integer null,
              continues_trigger_name text null,
              continues_trigger_group text null,
              continuation_condition integer null,
              overlap_policy integer null,
              pause_reason varchar(250) null,
              paused_by varchar(200) null,
              paused_at bigint null,
              misfire_threshold bigint null,
              fixed_delay bool null,
              job_data bytea null,
              primary key (sched_name,trigger_name,trigger_group),
              foreign key (sched_name,job_name,job_group) references qrtz_job_details (sched_name,job_name,job_group)
            );
            CREATE TABLE IF NOT EXISTS qrtz_simple_triggers (
              sched_name text not null,
              trigger_name text not null,
              trigger_group text not null,
              repeat_count bigint not null,
              repeat_interval bigint not null,
              times_triggered bigint not null,
              primary key (sched_name,trigger_name,trigger_group),
              foreign key (sched_name,trigger_name,trigger_group) references qrtz_triggers (sched_name,trigger_name,trigger_group) on delete cascade
            );
            CREATE TABLE IF NOT EXISTS qrtz_cron_triggers (
              sched_name text not null,
              trigger_name text not null,
              trigger_group text not null,
              cron_expression text not null,
              time_zone_id text,
              primary key (sched_name,trigger_name,trigger_group),
              foreign key (sched_name,trigger_name,trigger_group) references qrtz_triggers (sched_name,trigger_name,trigger_group) on delete cascade
            );
            CREATE TABLE IF NOT EXISTS qrtz_simprop_triggers (
              sched_name text not null,
              trigger_name text not null,
              trigger_group text not null,
              str_prop_1 text null,
              str_prop_2 text null,
              str_prop_3 text null,
              int_prop_1 integer null,
              int_prop_2 integer null,
              long_prop_1 bigint null,
              long_prop_2 bigint null,
              dec_prop_1 numeric null,
              dec_prop_2 numeric null,
              bool_prop_1 bool null,
              bool_prop_2 bool null,
              time_zone_id text null,
              primary key (sched_name,trigger_name,trigger_group),
              foreign key (sched_name,trigger_name,trigger_group) references qrtz_triggers (sched_name,trigger_name,trigger_group) on delete cascade
            );
            CREATE TABLE IF NOT EXISTS qrtz_blob_triggers (
              sched_name text not null,
              trigger_name text not null,
              trigger_group text not null,
              blob_data bytea null,
              primary key (sched_name,trigger_name,trigger_group),
              foreign key (sched_name,trigger_name,trigger_group) references qrtz_triggers (sched_name,trigger_name,trigger_group) on delete cascade
            );
            CREATE TABLE IF NOT EXISTS qrtz_calendars (
              sched_name text not null,
              calendar_name text not null,
              calendar bytea not null,
              primary key (sched_name,calendar_name)
            );
            CREATE TABLE IF NOT EXISTS qrtz_paused_trigger_grps (
              sched_name text not null,
              trigger_group text not null,
              pause_reason varchar(250) null,
              paused_by varchar(200) null,
              paused_at bigint null,
              primary key (sched_name,trigger_group)
            );
            CREATE TABLE IF NOT EXISTS qrtz_paused_job_grps (
              sched_name text not null,
              job_group text not null,
              pause_reason varchar(250) null,
              paused_by varchar(200) null,
              paused_at bigint null,
              primary key (sched_name,job_group)
            );
            CREATE TABLE IF NOT EXISTS qrtz_fired_triggers (
              sched_name text not null,
              entry_id text not null,
              trigger_name text not null,
              trigger_group text not null,
              instance_name text not null,
              fired_time bigint not null,
              sched_time bigint not null,
              priority integer not null,
              state text not null,
              job_name text null,
              job_group text null,
              is_nonconcurrent bool not null,
              requests_recovery bool null,
              execution_group varchar(200) null,
              progress integer null,
              progress_message varchar(250) null,
              interrupt_requested_time bigint null,
              primary key (sched_name,entry_id)
            );
            CREATE TABLE IF NOT EXISTS qrtz_scheduler_state (
              sched_name text not null,
              instance_name text not null,
              last_checkin_time bigint not null,
              checkin_interval bigint not null,
              quartz_version varchar(20) null,
              primary key (sched_name,instance_name)
            );
            CREATE TABLE IF NOT EXISTS qrtz_locks (
              sched_name text not null,
              lock_name text not null,
              primary key (sched_name,lock_name)
            );
            CREATE INDEX IF NOT EXISTS idx_qrtz_j_g_n ON qrtz_job_details (sched_name, job_group, job_name);
            CREATE INDEX IF NOT EXISTS idx_qrtz_t_j ON qrtz_triggers (sched_name, job_name, job_group);
            CREATE INDEX IF NOT EXISTS idx_qrtz_t_g_n ON qrtz_triggers (sched_name, trigger_group, trigger_name);
            CREATE INDEX IF NOT EXISTS idx_qrtz_t_c ON qrtz_triggers (sched_name, calendar_name);
            CREATE INDEX IF NOT EXISTS idx_qrtz_t_nft_st ON qrtz_triggers (sched_name, trigger_state, next_fire_time asc, priority desc, misfire_instr);
            CREATE INDEX IF NOT EXISTS idx_qrtz_ft_inst_job_req_rcvry ON qrtz_fired_triggers (sched_name, instance_name, requests_recovery);
            CREATE INDEX IF NOT EXISTS idx_qrtz_ft_j_g ON qrtz_fired_triggers (sched_name, job_name, job_group);
            CREATE INDEX IF NOT EXISTS idx_qrtz_ft_t_g ON qrtz_fired_triggers (sched_name, trigger_name, trigger_group);
            """,
            "")),
        // Step 4 (AI): document tags for search filters, and the knowledge graph's SQL store.
        Step.Of(4,
            Both("""
            ALTER TABLE documents ADD COLUMN tags {text} NOT NULL DEFAULT '';
            CREATE INDEX ix_chunks_tenant_model_embedded ON chunks (tenant_id, embedding_model, embedded_at);
            CREATE TABLE graph_entities (
                tenant_id {text} NOT NULL,
                key {text} NOT NULL,
                name {text} NOT NULL,
                kind {text} NOT NULL,
                PRIMARY KEY (tenant_id, key)
            );
            CREATE TABLE graph_mentions (
                tenant_id {text} NOT NULL,
                entity_key {text} NOT NULL,
                chunk_id {id} NOT NULL,
                document_id {id} NOT NULL,
                PRIMARY KEY (tenant_id, entity_key, chunk_id)
            );
            CREATE INDEX ix_graph_mentions_document ON graph_mentions (document_id);
            CREATE TABLE graph_relations (
                tenant_id {text} NOT NULL,
                source_key {text} NOT NULL,
                target_key {text} NOT NULL,
                relation {text} NOT NULL,
                chunk_id {id} NOT NULL,
                document_id {id} NOT NULL,
                PRIMARY KEY (tenant_id, source_key, target_key, relation, chunk_id)
            );
            CREATE INDEX ix_graph_relations_target ON graph_relations (tenant_id, target_key);
            CREATE INDEX ix_graph_relations_document ON graph_relations (document_id);
            """)),
        // Step 7 (search): per-term row counts of the SQLite keyword index, read by the keyword search to pick its rarest
        // terms (ChunkStore.KeywordSearchAsync). fts5vocab is a read-only view over chunk_fts: no data, nothing to backfill.
        // PostgreSQL needs nothing.
        Step.Of(7,
            Fork(
            "SELECT 1;",
            "CREATE VIRTUAL TABLE chunk_fts_vocab USING fts5vocab(chunk_fts, 'row');")),
        // Job dispatch at volume: the in-flight count of a tenant and the list of unsent jobs read only the few rows
        // they are about instead of every queued job (a backlog of thousands made both grow with it).
        Step.Of(8,
            Both("""
            CREATE INDEX ix_jobs_in_flight ON jobs (tenant_id, type) WHERE dispatched_at IS NOT NULL AND status IN ('queued', 'running');
            CREATE INDEX ix_jobs_unsent ON jobs (created_at) WHERE dispatched_at IS NULL AND status = 'queued';
            """)),
        // Job indexes no per-job statement can use. The jobs table is a queue: almost every row is finished, so once
        // statistics show few queued or running jobs, the planner took (status, updated_at) for the claim and success
        // of a batch of ids (a scan of every queued and running entry, dead ones included, hash-joined to the ids)
        // instead of the primary key: 10–30 ms per statement at 30,000 rows, growing with the table. Each lookup a
        // status index served now has a partial index whose predicate no per-job statement implies, so their only
        // index is the primary key. Each job's four row versions also write three fewer index entries.
        Step.Of(9,
            Both("""
            DROP INDEX ix_jobs_status_updated;
            CREATE INDEX ix_jobs_lease ON jobs (heartbeat_at) WHERE status = 'running' AND heartbeat_at IS NOT NULL;
            CREATE INDEX ix_jobs_failed ON jobs (created_at) WHERE status = 'failed';
            """)),
        // Step 10: the API's data-protection keys (they sign and encrypt the dashboard's login cookie), shared by every
        // replica and kept across restarts (Platform.Api.Security.DatabaseKeyRing). The XML is the framework's own.
        Step.Of(10,
            Both("CREATE TABLE data_protection_keys (name {text} PRIMARY KEY, xml {text} NOT NULL, created_at {time} NOT NULL);")),
        // Step 11: how each schedule's last firing ended, written by the process that fires the schedules and read by every
        // replica's dashboard (Platform.Api.Dashboard.Schedules.ScheduleOutcomes).
        Step.Of(11,
            Both("""
            CREATE TABLE schedule_outcomes (
                job_group {text} NOT NULL, job_name {text} NOT NULL, fired_at {time} NOT NULL, outcome {text} NOT NULL,
                error {text}, run_ms {real}, PRIMARY KEY (job_group, job_name));
            """)),
        // Step 12: Hangfire schedules now, in its own schema (Hangfire.PostgreSql creates it): the old scheduler's tables
        // (step 3, PostgreSQL only) and the outcome table of step 11 go. Children before parents: the foreign keys.
        Step.Of(12,
            Fork(
            """
            DROP TABLE IF EXISTS qrtz_fired_triggers, qrtz_paused_trigger_grps, qrtz_paused_job_grps, qrtz_scheduler_state,
                qrtz_locks, qrtz_simple_triggers, qrtz_cron_triggers, qrtz_simprop_triggers, qrtz_blob_triggers, qrtz_calendars;
            DROP TABLE IF EXISTS qrtz_triggers;
            DROP TABLE IF EXISTS qrtz_job_details;
            """,
            ""),
            Both("DROP TABLE IF EXISTS schedule_outcomes;")),
        // Step 13: the share of a document's text repaired from mojibake on ingest (null: none), shown in its API representation.
        Step.Of(13,
            Both("ALTER TABLE documents ADD COLUMN text_repaired {real};")),
    ];
}
