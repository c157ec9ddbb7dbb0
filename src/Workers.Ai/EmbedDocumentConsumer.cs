using MassTransit;
using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Jobs;
using Platform.Messages;
using Platform.Search;
using Platform.ServiceDefaults;

namespace Platform.Workers.Ai;

/// <summary>
/// Embeds the chunks of a document that have no vector from the current model yet (the embedder's Redis cache answers for
/// content it has seen), indexes them, and ends the ingestion job.
/// </summary>
public sealed class EmbedDocumentConsumer(
    JobRunner runner, DocumentStore documents, ChunkStore chunks, IEmbedder embedder, ISearchIndex index,
    VectorIndex vectorIndex, IOptions<AiOptions> options)
    : IConsumer<EmbedDocument>
{
    public Task Consume(ConsumeContext<EmbedDocument> context) =>
        runner.RunAsync(context, context.Message.JobId, async job =>
        {
            var message = context.Message;
            var pending = await chunks.ListUnembeddedAsync(message.DocumentId, embedder.Model, job.CancellationToken);
            await ChunkEmbedding.EmbedAndIndexAsync(chunks, embedder, index, message.TenantId, pending, options.Value.EmbeddingBatchSize,
                done => job.ReportProgressAsync(50 + 50 * done / Math.Max(1, pending.Count) - 1), job.CancellationToken);
            vectorIndex.Invalidate(message.TenantId);
            await documents.SetStatusAsync(message.DocumentId, DocumentStatus.Indexed, job.CancellationToken);
            var document = await documents.GetAsync(message.DocumentId, ct: job.CancellationToken);
            await job.SucceedAsync(Json.Serialize(new
            {
                documentId = message.DocumentId, chunkCount = document?.ChunkCount ?? 0, pageCount = document?.PageCount ?? 0,
                embeddedCount = pending.Count, model = embedder.Model, format = message.Format, ocrPages = message.OcrPages ?? [],
            }), job.CancellationToken);
            await context.PublishBoundedAsync(new DocumentEmbedded
            {
                JobId = message.JobId, TenantId = message.TenantId, DocumentId = message.DocumentId, EmbeddedCount = pending.Count,
                CorrelationId = message.CorrelationId,
            });
        }, continuation: true);
}

public sealed class EmbedDocumentConsumerDefinition(IOptions<BusOptions> bus, IOptions<AiOptions> ai)
    : JobConsumerDefinition<EmbedDocumentConsumer>(bus.Value, QueueNames.EmbedDocument, ai.Value.EmbedConcurrency);
