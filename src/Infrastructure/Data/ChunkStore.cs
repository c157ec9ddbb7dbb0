using System.Data.Common;
using Dapper;

namespace Platform.Infrastructure.Data;

/// <summary>Chunks, their keyword index (FTS5 / tsvector) and their embeddings.</summary>
public sealed class ChunkStore(Db db, TimeProvider clock)
{
    private const string Columns =
        "id, tenant_id AS TenantId, document_id AS DocumentId, ordinal, page_start AS PageStart, page_end AS PageEnd, " +
        "heading_path AS HeadingPath, kind, char_start AS CharStart, char_end AS CharEnd, content, content_hash AS ContentHash, " +
        "search_text AS SearchText, embedded_at AS EmbeddedAt";

    /// <summary>
    /// Makes the document's chunks exactly <paramref name="chunks"/>, in one transaction, so a re-run never duplicates.
    /// A chunk whose content hash is unchanged keeps its id and embedding; the returned list carries the ids in effect.
    /// </summary>
    public async Task<IReadOnlyList<Chunk>> ReplaceAsync(string tenantId, Guid documentId, IReadOnlyList<Chunk> chunks,
        CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var existing = (await c.QueryAsync<(Guid Id, string ContentHash, byte[]? Embedding, string? Model, DateTimeOffset? EmbeddedAt)>(
                "SELECT id, content_hash, embedding, embedding_model, embedded_at FROM chunks WHERE document_id = @documentId",
                new { documentId }, tx))
            .GroupBy(r => r.ContentHash)
            .ToDictionary(g => g.Key, g => new Queue<(Guid Id, string ContentHash, byte[]? Embedding, string? Model, DateTimeOffset? EmbeddedAt)>(g));
        await c.ExecuteAsync("DELETE FROM chunks WHERE document_id = @documentId", new { documentId }, tx);
        if (db.Provider == DbProvider.Sqlite)
        {
            await c.ExecuteAsync("DELETE FROM chunk_fts WHERE document_id = @documentId", new { documentId }, tx);
        }

        var now = clock.GetUtcNow();
        var stored = new List<Chunk>(chunks.Count);
        foreach (var chunk in chunks)
        {
            var reuse = existing.TryGetValue(chunk.ContentHash, out var q) && q.Count > 0 ? q.Dequeue() : default;
            var row = new
            {
                Id = reuse.Id != Guid.Empty ? reuse.Id : Guid.CreateVersion7(now), TenantId = tenantId, DocumentId = documentId,
                chunk.Ordinal, chunk.PageStart, chunk.PageEnd, chunk.HeadingPath, chunk.Kind, chunk.CharStart, chunk.CharEnd,
                chunk.Content, chunk.ContentHash, chunk.SearchText, reuse.Embedding, reuse.Model, reuse.EmbeddedAt, CreatedAt = now,
            };
            await c.ExecuteAsync(
                """
                INSERT INTO chunks (id, tenant_id, document_id, ordinal, page_start, page_end, heading_path, kind, char_start, char_end,
                    content, content_hash, search_text, embedding, embedding_model, embedded_at, created_at)
                VALUES (@Id, @TenantId, @DocumentId, @Ordinal, @PageStart, @PageEnd, @HeadingPath, @Kind, @CharStart, @CharEnd,
                    @Content, @ContentHash, @SearchText, @Embedding, @Model, @EmbeddedAt, @CreatedAt)
                """, row, tx);
            if (db.Provider == DbProvider.Sqlite)
            {
                await c.ExecuteAsync(
                    "INSERT INTO chunk_fts (search_text, chunk_id, tenant_id, document_id) VALUES (@SearchText, @Id, @TenantId, @DocumentId)",
                    row, tx);
            }
            stored.Add(new Chunk
            {
                Id = row.Id, TenantId = tenantId, DocumentId = documentId, Ordinal = chunk.Ordinal, PageStart = chunk.PageStart,
                PageEnd = chunk.PageEnd, HeadingPath = chunk.HeadingPath, Kind = chunk.Kind, CharStart = chunk.CharStart,
                CharEnd = chunk.CharEnd, Content = chunk.Content, ContentHash = chunk.ContentHash, SearchText = chunk.SearchText,
                EmbeddedAt = reuse.EmbeddedAt,
            });
        }
        await tx.CommitAsync(ct);
        return stored;
    }

    public Task<IReadOnlyList<Chunk>> ListByDocumentAsync(Guid documentId, CancellationToken ct = default) =>
        db.QueryAsync<Chunk>($"SELECT {Columns} FROM chunks WHERE document_id = @documentId ORDER BY ordinal", new { documentId }, ct);

    public Task<IReadOnlyList<Chunk>> ListUnembeddedAsync(Guid documentId, string model, CancellationToken ct = default) =>
        db.QueryAsync<Chunk>(
            $"SELECT {Columns} FROM chunks WHERE document_id = @documentId AND (embedding IS NULL OR embedding_model <> @model) ORDER BY ordinal",
            new { documentId, model }, ct);

    public async Task SetEmbeddingsAsync(IReadOnlyList<(Guid ChunkId, float[] Vector)> vectors, string model, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        foreach (var (chunkId, vector) in vectors)
        {
            await c.ExecuteAsync(
                "UPDATE chunks SET embedding = @embedding, embedding_model = @model, embedded_at = @now WHERE id = @chunkId",
                new { chunkId, embedding = VectorCodec.ToBytes(vector), model, now }, tx);
        }
        await tx.CommitAsync(ct);
    }

    public async Task<IReadOnlyList<Chunk>> GetManyAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        await using var c = await db.OpenAsync(ct);
        return await GetManyAsync(c, ids, ct);
    }

    private async Task<IReadOnlyList<Chunk>> GetManyAsync(DbConnection c, IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var rows = new List<Chunk>(ids.Count);
        // Dapper sends an array to PostgreSQL (= ANY) and expands an IN list for SQLite.
        var match = db.Sql("id = ANY(@batch)", "id IN @batch");
        foreach (var batch in ids.Chunk(100))
        {
            rows.AddRange(await c.QueryAsync<Chunk>(
                new CommandDefinition($"SELECT {Columns} FROM chunks WHERE {match}", new { batch }, cancellationToken: ct)));
        }
        return rows;
    }

    /// <summary>Best keyword matches among the tenant's chunks: FTS5 bm25 on SQLite, ts_rank on PostgreSQL. Tokens are pre-normalised.</summary>
    public async Task<IReadOnlyList<(Guid ChunkId, double Score)>> KeywordSearchAsync(string tenantId, IReadOnlyList<string> tokens,
        IReadOnlyCollection<Guid>? documentIds, int limit, CancellationToken ct = default)
    {
        if (tokens.Count == 0)
        {
            return [];
        }
        var filterDocs = documentIds is { Count: > 0 };
        var docs = documentIds?.ToArray() ?? [];
        if (db.Provider == DbProvider.Sqlite)
        {
            var match = string.Join(" OR ", tokens.Distinct().Select(t => "\"" + t.Replace("\"", "\"\"") + "\""));
            var sql = $"""
                SELECT chunk_id AS ChunkId, -bm25(chunk_fts) AS Score FROM chunk_fts
                WHERE chunk_fts MATCH @match AND tenant_id = @tenantId {(filterDocs ? "AND document_id IN @docs" : "")}
                ORDER BY bm25(chunk_fts) LIMIT @limit
                """;
            var rows = await db.QueryAsync<(string ChunkId, double Score)>(sql, new { match, tenantId, docs, limit }, ct);
            return rows.Select(r => (Guid.Parse(r.ChunkId), r.Score)).ToList();
        }
        var query = string.Join(" | ", tokens.Distinct().Select(t => "'" + t.Replace("'", "''").Replace("\\", "\\\\") + "'"));
        var pgSql = $"""
            SELECT id AS ChunkId, ts_rank_cd(search_tsv, q)::float8 AS Score
            FROM chunks, to_tsquery('simple', @query) q
            WHERE tenant_id = @tenantId AND search_tsv @@ q {(filterDocs ? "AND document_id = ANY(@docs)" : "")}
            ORDER BY Score DESC LIMIT @limit
            """;
        return await db.QueryAsync<(Guid ChunkId, double Score)>(pgSql, new { query, tenantId, docs, limit }, ct);
    }

    /// <summary>Embedded chunks of a tenant changed after <paramref name="since"/>, for the in-process vector index.</summary>
    public async Task<IReadOnlyList<(Guid ChunkId, Guid DocumentId, float[] Vector, DateTimeOffset EmbeddedAt)>> LoadVectorsAsync(
        string tenantId, string model, DateTimeOffset? since, CancellationToken ct = default)
    {
        var rows = await db.QueryAsync<(Guid Id, Guid DocumentId, byte[] Embedding, DateTimeOffset EmbeddedAt)>(
            """
            SELECT id, document_id, embedding, embedded_at FROM chunks
            WHERE tenant_id = @tenantId AND embedding IS NOT NULL AND embedding_model = @model
              AND embedded_at > @since
            """, new { tenantId, model, since = since ?? DateTimeOffset.UnixEpoch }, ct);
        return rows.Select(r => (r.Id, r.DocumentId, VectorCodec.FromBytes(r.Embedding), r.EmbeddedAt)).ToList();
    }

    /// <summary>A cheap fingerprint of a tenant's vectors: changes whenever a chunk is embedded or deleted.</summary>
    public Task<(long Count, DateTimeOffset? Latest)> VectorVersionAsync(string tenantId, string model, CancellationToken ct = default) =>
        db.QuerySingleOrDefaultAsync<(long, DateTimeOffset?)>(
            "SELECT count(*), max(embedded_at) FROM chunks WHERE tenant_id = @tenantId AND embedding IS NOT NULL AND embedding_model = @model",
            new { tenantId, model }, ct);
}
