using MassTransit;
using Microsoft.Extensions.Options;
using Platform.Infrastructure;
using Platform.Infrastructure.Bus;
using Platform.Infrastructure.Data;
using Platform.Infrastructure.Search.Graph;
using Platform.Messages;

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

public sealed class ExtractGraphConsumerDefinition : ConsumerDefinition<ExtractGraphConsumer>
{
    public const string Queue = "extract-graph";
    private readonly BusOptions _bus;

    public ExtractGraphConsumerDefinition(IOptions<BusOptions> bus)
    {
        _bus = bus.Value;
        EndpointName = Queue;
        ConcurrentMessageLimit = 2;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<ExtractGraphConsumer> consumer,
        IRegistrationContext context) => endpoint.UsePlatformRetry(_bus);
}
