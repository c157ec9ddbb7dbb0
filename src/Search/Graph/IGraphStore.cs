namespace Platform.Search.Graph;

/// <summary>
/// Where the knowledge graph lives: the system-of-record database by default, Neo4j (HTTP Cypher endpoint) as the sibling.
/// Both pass GraphStoreContractTests. Everything is per tenant.
/// </summary>
public interface IGraphStore
{
    /// <summary>Makes the document's part of the graph exactly <paramref name="chunks"/> (re-extraction never duplicates).</summary>
    Task ReplaceDocumentAsync(string tenantId, Guid documentId, IReadOnlyList<ChunkGraph> chunks, CancellationToken ct = default);

    /// <summary>Entities whose key starts with the normalised <paramref name="prefix"/>.</summary>
    Task<IReadOnlyList<GraphEntity>> FindAsync(string tenantId, string prefix, int limit, CancellationToken ct = default);

    Task<GraphEntity?> GetAsync(string tenantId, string key, CancellationToken ct = default);

    /// <summary>Entities related to this one, strongest (most chunks) first.</summary>
    Task<IReadOnlyList<GraphNeighbour>> NeighboursAsync(string tenantId, string key, int limit, CancellationToken ct = default);

    /// <summary>The entities one document mentions, most chunks first (then by key).</summary>
    Task<IReadOnlyList<RankedEntity>> DocumentEntitiesAsync(string tenantId, Guid documentId, int limit, CancellationToken ct = default);

    /// <summary>The tenant's most mentioned entities (chunks mentioning them, then key): the graph browsed without a query.</summary>
    Task<IReadOnlyList<RankedEntity>> TopEntitiesAsync(string tenantId, int limit, CancellationToken ct = default);

    Task<IReadOnlyList<GraphMention>> MentionsAsync(string tenantId, string key, int limit, CancellationToken ct = default);
}
