using Microsoft.Extensions.Options;
using Platform.Data;

namespace Platform.Search;

/// <summary>The default index: FTS5 / PostgreSQL full-text over the chunk rows, and the in-process SIMD vector scan.</summary>
public sealed class SqlSearchIndex(ChunkStore chunks, VectorIndex vectors, IOptions<SearchOptions>? options = null) : ISearchIndex
{
    private readonly int _rankBudget = (options?.Value ?? new SearchOptions()).KeywordRankBudget;

    public Task IndexAsync(string tenantId, IReadOnlyList<IndexedChunk> indexed, CancellationToken ct = default) => Task.CompletedTask;

    public Task DeleteDocumentAsync(string tenantId, Guid documentId, CancellationToken ct = default) => Task.CompletedTask;

    public Task<IReadOnlyList<(Guid ChunkId, double Score)>> KeywordAsync(string tenantId, IReadOnlyList<string> tokens,
        IReadOnlyCollection<Guid>? documentIds, int limit, CancellationToken ct = default) =>
        chunks.KeywordSearchAsync(tenantId, tokens, documentIds, limit, ct, _rankBudget);

    public Task<IReadOnlyList<(Guid ChunkId, double Score)>> VectorAsync(string tenantId, float[] query,
        IReadOnlyCollection<Guid>? documentIds, int limit, CancellationToken ct = default) =>
        vectors.SearchAsync(tenantId, query, documentIds, limit, ct);
}
