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
        new(6,
            // Step 6 (dashboard): one row per running process, refreshed by WorkerHeartbeat.
            """
            CREATE TABLE workers (
                id text PRIMARY KEY,
                host text NOT NULL,
                role text NOT NULL,
                version text NOT NULL,
                pid integer NOT NULL,
                consumers text NOT NULL,
                in_flight integer NOT NULL DEFAULT 0,
                started_at timestamptz NOT NULL,
                last_heartbeat timestamptz NOT NULL,
                stopped_at timestamptz
            );
            CREATE INDEX ix_workers_heartbeat ON workers (last_heartbeat DESC);
            """,
            """
            CREATE TABLE workers (
                id TEXT PRIMARY KEY,
                host TEXT NOT NULL,
                role TEXT NOT NULL,
                version TEXT NOT NULL,
                pid INTEGER NOT NULL,
                consumers TEXT NOT NULL,
                in_flight INTEGER NOT NULL DEFAULT 0,
                started_at TEXT NOT NULL,
                last_heartbeat TEXT NOT NULL,
                stopped_at TEXT
            );
            CREATE INDEX ix_workers_heartbeat ON workers (last_heartbeat DESC);
            """),
    ];
}
