namespace Platform.Search;

/// <summary>A chunk as a search index holds it: its normalised search text and its vector.</summary>
public sealed record IndexedChunk(Guid ChunkId, Guid DocumentId, string SearchText, float[] Vector);

/// <summary>
/// Where keyword and vector candidates come from. The default is the system-of-record database (full-text) plus the
/// in-process exact vector scan; Elasticsearch (BM25 + dense_vector kNN) is the sibling. Both pass SearchIndexContractTests.
/// A null <c>documentIds</c> means no document filter; callers never pass an empty set.
/// </summary>
public interface ISearchIndex
{
    /// <summary>Makes the chunks searchable (the database index needs nothing: its rows are the index).</summary>
    Task IndexAsync(string tenantId, IReadOnlyList<IndexedChunk> chunks, CancellationToken ct = default);

    Task DeleteDocumentAsync(string tenantId, Guid documentId, CancellationToken ct = default);

    Task<IReadOnlyList<(Guid ChunkId, double Score)>> KeywordAsync(string tenantId, IReadOnlyList<string> tokens,
        IReadOnlyCollection<Guid>? documentIds, int limit, CancellationToken ct = default);

    Task<IReadOnlyList<(Guid ChunkId, double Score)>> VectorAsync(string tenantId, float[] query,
        IReadOnlyCollection<Guid>? documentIds, int limit, CancellationToken ct = default);
}
