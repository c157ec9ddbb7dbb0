using MassTransit;
using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Jobs;
using Platform.Messages;
using Platform.Search.Graph;

namespace Platform.Workers.Ai.Graph;

/// <summary>
/// After a document is embedded, records its entities and relations per chunk. It runs after the ingestion job has ended,
/// so a slow or failing extraction never holds up search; a re-run replaces the document's part of the graph.
/// </summary>
public sealed class ExtractGraphConsumer(ChunkStore chunks, IGraphExtractor extractor, IGraphStore graph, IOptions<GraphOptions> options)
    : IConsumer<DocumentEmbedded>
{
    public async Task Consume(ConsumeContext<DocumentEmbedded> context)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        var message = context.Message;
        var rows = await chunks.ListByDocumentAsync(message.DocumentId, context.CancellationToken);
        var extracted = await extractor.ExtractAsync(rows.Where(c => c.TenantId == message.TenantId).ToList(), context.CancellationToken);
        await graph.ReplaceDocumentAsync(message.TenantId, message.DocumentId, extracted, context.CancellationToken);
    }
}

public sealed class ExtractGraphConsumerDefinition(IOptions<BusOptions> bus)
    : JobConsumerDefinition<ExtractGraphConsumer>(bus.Value, QueueNames.ExtractGraph, 2);
