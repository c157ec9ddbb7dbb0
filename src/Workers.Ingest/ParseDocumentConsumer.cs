using MassTransit;
using Microsoft.Extensions.Options;
using Platform.Infrastructure;
using Platform.Infrastructure.Blobs;
using Platform.Infrastructure.Bus;
using Platform.Infrastructure.Data;
using Platform.Infrastructure.Jobs;
using Platform.Messages;
using Platform.Workers.Ingest.Chunking;
using Platform.Workers.Ingest.Parsing;

namespace Platform.Workers.Ingest;

/// <summary>Parses an uploaded document into chunks, then hands it to the AI worker for embedding.</summary>
public sealed class ParseDocumentConsumer(
    JobRunner runner, DocumentStore documents, ChunkStore chunks, IBlobStore blobs, DocumentParser parser, ChunkPacker packer)
    : IConsumer<ParseDocument>
{
    public Task Consume(ConsumeContext<ParseDocument> context) =>
        runner.RunAsync(context, context.Message.JobId, async job =>
        {
            var message = context.Message;
            var document = await documents.GetAsync(message.DocumentId, message.TenantId, job.CancellationToken)
                ?? throw new JobFailureException(ReasonCodes.NotFound, $"Document {message.DocumentId} does not exist for this tenant.");

            ParsedDocument parsed;
            await using (var content = await OpenAsync(document, job.CancellationToken))
            {
                parsed = await parser.ParseAsync(content, document.FileName, job.CancellationToken);
            }
            var packed = packer.Pack(parsed.Sections);
            if (packed.Count == 0)
            {
                throw new JobFailureException(ReasonCodes.NoText, "The document contains no text.");
            }
            var stored = await chunks.ReplaceAsync(message.TenantId, document.Id, packed, job.CancellationToken);
            await documents.SetParsedAsync(document.Id, parsed.PageCount, stored.Count, job.CancellationToken);
            await job.ReportProgressAsync(50);

            await context.Publish(new DocumentParsed
            {
                JobId = message.JobId, TenantId = message.TenantId, DocumentId = document.Id, ChunkCount = stored.Count,
                CorrelationId = message.CorrelationId,
            });
            await context.Send(new EmbedDocument
            {
                JobId = message.JobId, TenantId = message.TenantId, DocumentId = document.Id, CorrelationId = message.CorrelationId,
            });
        });

    private async Task<Stream> OpenAsync(Document document, CancellationToken ct)
    {
        try
        {
            return await blobs.OpenReadAsync(document.BlobKey, ct);
        }
        catch (BlobNotFoundException)
        {
            throw new JobFailureException(ReasonCodes.NotFound, "The uploaded file is missing from the blob store.");
        }
    }
}

public sealed class ParseDocumentConsumerDefinition : ConsumerDefinition<ParseDocumentConsumer>
{
    private readonly BusOptions _bus;

    public ParseDocumentConsumerDefinition(IOptions<BusOptions> bus, IOptions<IngestOptions> ingest)
    {
        _bus = bus.Value;
        EndpointName = QueueNames.ParseDocument;
        ConcurrentMessageLimit = ingest.Value.Concurrency;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<ParseDocumentConsumer> consumer,
        IRegistrationContext context) => endpoint.UsePlatformRetry(_bus);
}
