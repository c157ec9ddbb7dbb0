using Dapper;
using Platform.Data;

namespace Platform.Search.Graph;

/// <summary>The knowledge graph in three tables (schema step 4): entities, mentions (entity ↔ chunk) and relations.</summary>
public sealed class SqlGraphStore(Db db) : IGraphStore
{
    public async Task ReplaceDocumentAsync(string tenantId, Guid documentId, IReadOnlyList<ChunkGraph> chunks, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecuteAsync("DELETE FROM graph_mentions WHERE document_id = @documentId", new { documentId }, tx);
        await c.ExecuteAsync("DELETE FROM graph_relations WHERE document_id = @documentId", new { documentId }, tx);
        var entities = chunks.SelectMany(g => g.Entities).DistinctBy(e => e.Key)
            .Select(e => new { tenantId, e.Key, e.Name, e.Kind }).ToList();
        await c.ExecuteAsync(
            "INSERT INTO graph_entities (tenant_id, key, name, kind) VALUES (@tenantId, @Key, @Name, @Kind) ON CONFLICT DO NOTHING",
            entities, tx);
        var mentions = chunks.SelectMany(g => g.Entities.Select(e => e.Key).Distinct()
            .Select(k => new { tenantId, k, g.ChunkId, documentId })).ToList();
        await c.ExecuteAsync(
            "INSERT INTO graph_mentions (tenant_id, entity_key, chunk_id, document_id) VALUES (@tenantId, @k, @ChunkId, @documentId) ON CONFLICT DO NOTHING",
            mentions, tx);
        var relations = chunks.SelectMany(g => g.Relations.Select(r => new { tenantId, r.SourceKey, r.TargetKey, r.Relation, g.ChunkId, documentId }))
            .ToList();
        await c.ExecuteAsync(
            """
            INSERT INTO graph_relations (tenant_id, source_key, target_key, relation, chunk_id, document_id)
            VALUES (@tenantId, @SourceKey, @TargetKey, @Relation, @ChunkId, @documentId) ON CONFLICT DO NOTHING
            """, relations, tx);
        await tx.CommitAsync(ct);
    }

    public Task<IReadOnlyList<GraphEntity>> FindAsync(string tenantId, string prefix, int limit, CancellationToken ct = default) =>
        db.QueryAsync<GraphEntity>(
            // substr comparison instead of LIKE: no wildcards to escape in what the user typed
            $"SELECT key, name, kind FROM graph_entities WHERE tenant_id = @tenantId AND {db.Dialect.Left("key", "@n")} = @p ORDER BY key LIMIT @limit",
            new { tenantId, p = GraphEntity.KeyOf(prefix), n = GraphEntity.KeyOf(prefix).Length, limit }, ct);

    public Task<GraphEntity?> GetAsync(string tenantId, string key, CancellationToken ct = default) =>
        db.QuerySingleOrDefaultAsync<GraphEntity>("SELECT key, name, kind FROM graph_entities WHERE tenant_id = @tenantId AND key = @key",
            new { tenantId, key = GraphEntity.KeyOf(key) }, ct);

    public async Task<IReadOnlyList<GraphNeighbour>> NeighboursAsync(string tenantId, string key, int limit, CancellationToken ct = default)
    {
        var rows = await db.QueryAsync<(string Key, string Name, string Kind, string Relation, long Weight)>(
            """
            SELECT e.key, e.name, e.kind, n.relation, count(*) AS weight
            FROM (SELECT target_key AS other, relation, chunk_id FROM graph_relations WHERE tenant_id = @tenantId AND source_key = @key
                  UNION ALL
                  SELECT source_key AS other, relation, chunk_id FROM graph_relations WHERE tenant_id = @tenantId AND target_key = @key) n
            JOIN graph_entities e ON e.tenant_id = @tenantId AND e.key = n.other
            GROUP BY e.key, e.name, e.kind, n.relation
            ORDER BY weight DESC, e.key
            LIMIT @limit
            """, new { tenantId, key = GraphEntity.KeyOf(key), limit }, ct);
        return rows.Select(r => new GraphNeighbour(new GraphEntity(r.Key, r.Name, r.Kind), r.Relation, (int)r.Weight)).ToList();
    }

    public async Task<IReadOnlyList<RankedEntity>> DocumentEntitiesAsync(string tenantId, Guid documentId, int limit, CancellationToken ct = default) =>
        Ranked(await db.QueryAsync<(string Key, string Name, string Kind, long Chunks, long Documents)>(
            """
            SELECT e.key, e.name, e.kind, count(*) AS chunks, count(DISTINCT m.document_id) AS documents
            FROM graph_mentions m JOIN graph_entities e ON e.tenant_id = m.tenant_id AND e.key = m.entity_key
            WHERE m.tenant_id = @tenantId AND m.document_id = @documentId
            GROUP BY e.key, e.name, e.kind
            ORDER BY chunks DESC, e.key
            LIMIT @limit
            """, new { tenantId, documentId, limit }, ct));

    public async Task<IReadOnlyList<RankedEntity>> TopEntitiesAsync(string tenantId, int limit, CancellationToken ct = default) =>
        Ranked(await db.QueryAsync<(string Key, string Name, string Kind, long Chunks, long Documents)>(
            """
            SELECT e.key, e.name, e.kind, count(*) AS chunks, count(DISTINCT m.document_id) AS documents
            FROM graph_mentions m JOIN graph_entities e ON e.tenant_id = m.tenant_id AND e.key = m.entity_key
            WHERE m.tenant_id = @tenantId
            GROUP BY e.key, e.name, e.kind
            ORDER BY chunks DESC, e.key
            LIMIT @limit
            """, new { tenantId, limit }, ct));

    private static List<RankedEntity> Ranked(IEnumerable<(string Key, string Name, string Kind, long Chunks, long Documents)> rows) =>
        rows.Select(r => new RankedEntity(r.Key, r.Name, r.Kind, (int)r.Chunks, (int)r.Documents)).ToList();

    public async Task<IReadOnlyList<GraphMention>> MentionsAsync(string tenantId, string key, int limit, CancellationToken ct = default) =>
        (await db.QueryAsync<MentionRow>(
            "SELECT chunk_id AS ChunkId, document_id AS DocumentId FROM graph_mentions WHERE tenant_id = @tenantId AND entity_key = @key ORDER BY chunk_id LIMIT @limit",
            new { tenantId, key = GraphEntity.KeyOf(key), limit }, ct))
        .Select(r => new GraphMention(r.ChunkId, r.DocumentId)).ToList();

    // A settable class, so Dapper applies the SQLite text-to-Guid handler (it does not for constructor parameters).
    private sealed class MentionRow
    {
        public Guid ChunkId { get; set; }
        public Guid DocumentId { get; set; }
    }
}
