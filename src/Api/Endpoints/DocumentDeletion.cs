using Platform.Blobs;
using Platform.Data;
using Platform.Search;
using Platform.Search.Graph;

namespace Platform.Api.Endpoints;

/// <summary>
/// Deletes a document everywhere it lives. The database part is one transaction (tombstone, chunks with their keyword
/// index and vectors, cancel requests for its unfinished jobs): once it commits, no search returns the document, in any
/// process, because every hit is re-read from the chunk rows. The outside copies follow: the search index (Elasticsearch),
/// the graph store (SQL or Neo4j), the in-process vector cache and the blob. A failure there fails the request; a repeated
/// DELETE finds the tombstone and does the outside part again.
/// </summary>
public sealed class DocumentDeletion(DocumentStore documents, ISearchIndex index, IGraphStore graph, IBlobStore blobs, VectorIndex vectors,
    ILogger<DocumentDeletion> logger)
{
    /// <summary>False when the tenant has no such document (never had, or it belongs to another tenant).</summary>
    public async Task<bool> DeleteAsync(string tenantId, Guid documentId, CancellationToken ct)
    {
        if (await documents.DeleteAsync(documentId, tenantId, ct) is not { } document)
        {
            return false;
        }
        await index.DeleteDocumentAsync(tenantId, documentId, ct);
        await graph.ReplaceDocumentAsync(tenantId, documentId, [], ct);
        await blobs.DeleteAsync(document.BlobKey, ct);
        vectors.Invalidate(tenantId);
        if (document.Status != DocumentStatus.Deleted)
        {
            logger.LogInformation("Deleted document {DocumentId} ({FileName}) of {TenantId}", documentId, document.FileName, tenantId);
        }
        return true;
    }
}
