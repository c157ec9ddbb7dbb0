using Platform.Data;
using Platform.Search;

namespace Platform.Workers.Ai;

/// <summary>
/// Embeds chunks in batches, stores each vector with its model and indexes the batch: what the embed consumer does for
/// a new document and the re-embedder for a document whose vectors came from another model.
/// </summary>
public static class ChunkEmbedding
{
    /// <summary>Embeds, stores and indexes <paramref name="pending"/>; <paramref name="afterBatch"/> gets the count done so far.</summary>
    public static async Task EmbedAndIndexAsync(ChunkStore chunks, IEmbedder embedder, ISearchIndex index, string tenantId,
        IReadOnlyList<Chunk> pending, int batchSize, Func<int, Task>? afterBatch, CancellationToken ct)
    {
        var done = 0;
        foreach (var batch in pending.Chunk(batchSize))
        {
            var vectors = await embedder.EmbedAsync(batch.Select(c => c.HeadingPath + "\n" + c.Content).ToList(), ct);
            await chunks.SetEmbeddingsAsync(batch.Select((c, i) => (c.Id, vectors[i])).ToList(), embedder.Model, ct);
            // The database is the default index; an external one (Elasticsearch) gets the same chunks and vectors here.
            await index.IndexAsync(tenantId, batch.Select((c, i) => new IndexedChunk(c.Id, c.DocumentId, c.SearchText, vectors[i])).ToList(), ct);
            done += batch.Length;
            if (afterBatch is not null)
            {
                await afterBatch(done);
            }
        }
    }
}
