using Dapper;
using Platform.Data;
using Platform.Search;

/// <summary>
/// The previous default keyword query, verbatim (FTS5 bm25 over the OR of the tokens, ORDER BY bm25(), which ranks every
/// match and reads each one's tenant), with the vector index configured as before (exact float32, one thread).
/// </summary>
sealed class OldIndex(Db db, VectorIndex vectors) : ISearchIndex
{
    public Task IndexAsync(string tenantId, IReadOnlyList<IndexedChunk> chunks, CancellationToken ct = default) => Task.CompletedTask;

    public Task DeleteDocumentAsync(string tenantId, Guid documentId, CancellationToken ct = default) => Task.CompletedTask;

    public async Task<IReadOnlyList<(Guid ChunkId, double Score)>> KeywordAsync(string tenantId, IReadOnlyList<string> tokens,
        IReadOnlyCollection<Guid>? documentIds, int limit, CancellationToken ct = default)
    {
        if (tokens.Count == 0)
        {
            return [];
        }
        var filterDocs = documentIds is { Count: > 0 };
        var docs = documentIds?.ToArray() ?? [];
        var match = string.Join(" OR ", tokens.Distinct().Select(t => "\"" + t.Replace("\"", "\"\"") + "\""));
        var sql = $"""
            SELECT chunk_id AS ChunkId, -bm25(chunk_fts) AS Score FROM chunk_fts
            WHERE chunk_fts MATCH @match AND tenant_id = @tenantId {(filterDocs ? "AND document_id IN @docs" : "")}
            ORDER BY bm25(chunk_fts) LIMIT @limit
            """;
        var rows = await db.QueryAsync<(string ChunkId, double Score)>(sql, new { match, tenantId, docs, limit }, ct);
        return rows.Select(r => (Guid.Parse(r.ChunkId), r.Score)).ToList();
    }

    public Task<IReadOnlyList<(Guid ChunkId, double Score)>> VectorAsync(string tenantId, float[] query,
        IReadOnlyCollection<Guid>? documentIds, int limit, CancellationToken ct = default) =>
        vectors.SearchAsync(tenantId, query, documentIds, limit, ct);

    /// <summary>Σ rows per distinct token: what the new query compares with its rank budget.</summary>
    public Task<long> TermRowsAsync(IReadOnlyList<string> tokens) =>
        db.QuerySingleOrDefaultAsync<long>("SELECT coalesce(sum(doc), 0) FROM chunk_fts_vocab WHERE term IN @terms",
            new { terms = tokens.Distinct().Select(Bm25.Fold).Distinct().ToArray() });
}
