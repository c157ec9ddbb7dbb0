using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Search;

namespace Platform.Workers.Ai;

/// <summary>
/// When the embedder changes (another provider, model or blend: <see cref="IEmbedder.Model"/> differs from the
/// <c>embedding_model</c> stored with each vector), re-embeds every document in the background, a document at a time, and
/// re-indexes it. Until a document is done, vector search skips it (vectors of two models are never compared) and keyword
/// search still finds it. One AI worker at a time does this (a session lock); it runs at start and then every
/// <see cref="AiOptions.ReembedInterval"/>, so a worker that was down catches up.
/// </summary>
public sealed class Reembedder(ChunkStore chunks, IEmbedder embedder, ISearchIndex index, VectorIndex vectorIndex, Db db,
    IOptions<AiOptions> options, ILogger<Reembedder> logger) : BackgroundService
{
    private const long LockKey = 0x5265656d626564; // "Reembed"

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ReembedOnModelChange)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.Value.ReembedInterval);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Re-embedding stopped; it resumes at the next pass");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Re-embeds every document holding vectors of another model; returns how many documents it did.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var held = await db.TryHoldAsync(LockKey, ct);
        if (held is null)
        {
            return 0;
        }
        var done = 0;
        while (await chunks.ListEmbeddedByOtherModelsAsync(embedder.Model, 50, ct) is { Count: > 0 } stale)
        {
            foreach (var document in stale)
            {
                var pending = await chunks.ListUnembeddedAsync(document.DocumentId, embedder.Model, ct);
                await ChunkEmbedding.EmbedAndIndexAsync(chunks, embedder, index, document.TenantId, pending, options.Value.EmbeddingBatchSize,
                    afterBatch: null, ct);
                vectorIndex.Invalidate(document.TenantId);
                done++;
            }
            logger.LogInformation("Re-embedded {Count} documents with {Model}", done, embedder.Model);
        }
        return done;
    }
}
