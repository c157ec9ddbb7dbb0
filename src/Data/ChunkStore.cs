using System.Data.Common;
using Dapper;

namespace Platform.Data;

/// <summary>Chunks, their keyword index (FTS5 / tsvector) and their embeddings.</summary>
public sealed class ChunkStore(Db db, TimeProvider clock)
{
    private readonly PostgresKeywordRanking _postgresRanking = new(clock);

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
        // The document's row, locked on PostgreSQL (SQLite's transaction already holds the only write lock): a delete at
        // the same moment (DocumentStore.DeleteAsync) waits for this transaction, or this one sees its tombstone.
        var status = await c.QuerySingleOrDefaultAsync<string>(
            db.Sql("SELECT status FROM documents WHERE id = @documentId FOR UPDATE", "SELECT status FROM documents WHERE id = @documentId"),
            new { documentId }, tx);
        if (status == DocumentStatus.Deleted)
        {
            return [];
        }
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

    /// <summary>Documents (with their tenant) holding vectors of another model than <paramref name="model"/>: the embedder changed.</summary>
    public Task<IReadOnlyList<DocumentRef>> ListEmbeddedByOtherModelsAsync(string model, int limit, CancellationToken ct = default) =>
        db.QueryAsync<DocumentRef>(
            "SELECT DISTINCT tenant_id AS TenantId, document_id AS DocumentId FROM chunks " +
            "WHERE embedding IS NOT NULL AND embedding_model <> @model ORDER BY document_id LIMIT @limit",
            new { model, limit }, ct);

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

    /// <summary>
    /// Best keyword matches among the tenant's chunks, by bm25 on both databases (FTS5's own on SQLite; on PostgreSQL see
    /// <see cref="PostgresKeywordRanking"/>). Tokens are pre-normalised.
    /// On SQLite, when the tokens together occur in more than <paramref name="rankBudget"/> rows (0: no limit), FTS5 ranks
    /// only the rows holding one of the rarest tokens (see <see cref="Bm25.RarestWithin"/>) or two of the commoner ones, and
    /// the best of those are scored in process with every token, as FTS5's bm25 would score them.
    /// </summary>
    public async Task<IReadOnlyList<(Guid ChunkId, double Score)>> KeywordSearchAsync(string tenantId, IReadOnlyList<string> tokens,
        IReadOnlyCollection<Guid>? documentIds, int limit, CancellationToken ct = default, int rankBudget = 0)
    {
        if (tokens.Count == 0)
        {
            return [];
        }
        var filterDocs = documentIds is { Count: > 0 };
        var docs = documentIds?.ToArray() ?? [];
        var terms = tokens.Distinct().ToList();
        if (db.Provider == DbProvider.Sqlite)
        {
            await using var c = await db.OpenAsync(ct);
            var where = $"chunk_fts MATCH @match AND tenant_id = @tenantId {(filterDocs ? "AND document_id IN @docs" : "")}";
            if (rankBudget > 0 && await Fts5StatisticsAsync(c, terms, ct) is { } stats && stats.TermRows.Sum(t => t.Rows) > rankBudget)
            {
                var (rare, common) = Bm25.RarestWithin(stats.TermRows, rankBudget);
                var candidates = await c.QueryAsync<(string ChunkId, string SearchText)>(new CommandDefinition(
                    $"SELECT chunk_id, search_text FROM chunk_fts WHERE {where} ORDER BY rank LIMIT @candidateLimit",
                    new { match = CandidateMatch(rare.Select(f => stats.Tokens[f]), common.Select(f => stats.Tokens[f]), terms), tenantId, docs,
                        candidateLimit = Math.Max(limit * 8, 400) },
                    cancellationToken: ct));
                var folded = stats.TermRows.Select(t => t.Term).ToList();
                var idf = stats.TermRows.Select(t => Bm25.Idf(stats.Rows, t.Rows)).ToList();
                return candidates.Select(r => (Guid.Parse(r.ChunkId), Bm25.Score(r.SearchText, folded, idf, stats.AverageLength)))
                    .OrderByDescending(r => r.Item2).Take(limit).ToList();
            }
            // ORDER BY rank (not bm25()) lets FTS5 sort by its own rank, so only the rows returned are read for their tenant.
            var rows = await c.QueryAsync<(string ChunkId, double Score)>(new CommandDefinition(
                $"SELECT chunk_id AS ChunkId, -rank AS Score FROM chunk_fts WHERE {where} ORDER BY rank LIMIT @limit",
                new { match = MatchAny(terms), tenantId, docs, limit }, cancellationToken: ct));
            return rows.Select(r => (Guid.Parse(r.ChunkId), r.Score)).ToList();
        }
        await using (var pg = await db.OpenAsync(ct))
        {
            return await _postgresRanking.SearchAsync(pg, tenantId, terms, filterDocs ? docs : null, limit, rankBudget, ct);
        }
    }

    private static string MatchAny(IEnumerable<string> terms) => string.Join(" OR ", terms.Select(Phrase));

    private static string Phrase(string term) => "\"" + term.Replace("\"", "\"\"") + "\"";

    /// <summary>
    /// The groups of <see cref="Bm25.CandidateGroups"/>, any of them. "AND (every term)" matches no fewer rows but puts every
    /// term into FTS5's rank, so the first pass already weighs the common terms (some of them more than once: the order is
    /// close to bm25's, and the candidates are re-scored exactly anyway).
    /// </summary>
    private static string CandidateMatch(IEnumerable<string> rare, IEnumerable<string> common, IEnumerable<string> all)
    {
        var parts = Bm25.CandidateGroups(rare, common).Select(g => g.Length == 1 ? Phrase(g[0]) : $"({string.Join(" AND ", g.Select(Phrase))})");
        return $"({string.Join(" OR ", parts)}) AND ({MatchAny(all)})";
    }

    /// <summary>
    /// What bm25 needs, from FTS5's own tables: rows per term (schema step 7's fts5vocab table, keyed by the folded form
    /// FTS5 indexes), the row count and the average row length (the "averages" record, id 1 of chunk_fts_data: varints
    /// of the row count and each column's token total, a format FTS5 keeps stable). Null when the record is unreadable.
    /// </summary>
    private static async Task<Fts5Statistics?> Fts5StatisticsAsync(DbConnection c, List<string> terms, CancellationToken ct)
    {
        var tokens = new Dictionary<string, string>();
        foreach (var term in terms)
        {
            tokens.TryAdd(Bm25.Fold(term), term);
        }
        var counts = (await c.QueryAsync<(string Term, long Rows)>(new CommandDefinition(
                "SELECT term, doc FROM chunk_fts_vocab WHERE term IN @terms", new { terms = tokens.Keys.ToArray() }, cancellationToken: ct)))
            .ToDictionary(r => r.Term, r => r.Rows);
        var averages = await c.QuerySingleOrDefaultAsync<byte[]>(new CommandDefinition(
            "SELECT block FROM chunk_fts_data WHERE id = 1", cancellationToken: ct));
        if (averages is null)
        {
            return null;
        }
        var at = 0;
        var rows = ReadVarint(averages, ref at);
        long totalTokens = 0;
        while (at < averages.Length)
        {
            totalTokens += ReadVarint(averages, ref at);
        }
        return rows <= 0 || totalTokens <= 0 ? null
            : new Fts5Statistics(tokens.Keys.Select(t => (t, counts.GetValueOrDefault(t))).ToList(), tokens, rows, (double)totalTokens / rows);
    }

    private sealed record Fts5Statistics(IReadOnlyList<(string Term, long Rows)> TermRows, Dictionary<string, string> Tokens, long Rows,
        double AverageLength);

    /// <summary>SQLite's varint: big-endian groups of 7 bits, high bit set on all but the last; a ninth byte holds 8 bits.</summary>
    private static long ReadVarint(byte[] data, ref int at)
    {
        long value = 0;
        for (var i = 0; i < 9 && at < data.Length; i++)
        {
            var b = data[at++];
            if (i == 8)
            {
                return (value << 8) | b;
            }
            value = (value << 7) | (long)(b & 0x7F);
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
        return value;
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

/// <summary>A document and its tenant.</summary>
public sealed class DocumentRef
{
    public string TenantId { get; set; } = "";

    public Guid DocumentId { get; set; }
}
