using MassTransit;
using Microsoft.Extensions.Options;
using Platform.Blobs;
using Platform.Data;
using Platform.Jobs;
using Platform.Messages;
using Platform.Workers.Ingest.Chunking;
using Platform.Workers.Ingest.Parsing;

namespace Platform.Workers.Ingest;

/// <summary>
/// Parses an uploaded document into chunks, then hands it to the AI worker for embedding. Parsing reports 0–50 %
/// (pages done / total); embedding owns 50–100 %. Re-running it (redelivery, retry) replaces the chunks with the same
/// chunks: <see cref="ChunkStore.ReplaceAsync"/> keeps the ids of unchanged ones.
/// </summary>
public sealed class ParseDocumentConsumer(
    JobRunner runner, DocumentStore documents, ChunkStore chunks, IBlobStore blobs, DocumentParser parser, ChunkPacker packer,
    ILogger<ParseDocumentConsumer> logger)
    : IConsumer<ParseDocument>
{
    public Task Consume(ConsumeContext<ParseDocument> context) =>
        runner.RunAsync(context, context.Message.JobId, async job =>
        {
            var message = context.Message;
            var document = await documents.GetAsync(message.DocumentId, message.TenantId, job.CancellationToken)
                ?? throw new JobFailureException(ReasonCodes.NotFound, $"Document {message.DocumentId} does not exist for this tenant.");

            ParsedDocument parsed;
            IReadOnlyList<Chunk> packed;
            try
            {
                var progress = new ProgressThrottle(job);
                await using (var content = await OpenAsync(document, job.CancellationToken))
                {
                    parsed = await parser.ParseAsync(content, document.FileName, job.CancellationToken, progress.ReportAsync);
                }
                packed = packer.Pack(parsed.Sections);
                if (packed.Count == 0)
                {
                    throw new JobFailureException(ReasonCodes.NoText, $"'{document.FileName}' contains no text.");
                }
            }
            catch (JobFailureException ex) when (ex.Permanent)
            {
                // The upload is kept; the document says it failed so lists do not show it as waiting forever.
                await documents.SetStatusAsync(document.Id, DocumentStatus.Failed, CancellationToken.None);
                throw;
            }
            var stored = await chunks.ReplaceAsync(message.TenantId, document.Id, packed, job.CancellationToken);
            await documents.SetParsedAsync(document.Id, parsed.PageCount, stored.Count, parsed.TextRepaired, job.CancellationToken);
            await job.ReportProgressAsync(50);
            logger.LogInformation("Parsed {DocumentId} ({Format}): {Pages} pages, {Chunks} chunks, OCR pages [{OcrPages}], text repaired {TextRepaired:P1}",
                document.Id, parsed.Format, parsed.PageCount, stored.Count, string.Join(",", parsed.OcrPages), parsed.TextRepaired);

            await context.PublishBoundedAsync(new DocumentParsed
            {
                JobId = message.JobId, TenantId = message.TenantId, DocumentId = document.Id, ChunkCount = stored.Count,
                OcrPages = parsed.OcrPages, Format = parsed.Format, CorrelationId = message.CorrelationId,
            });
            await context.SendBoundedAsync(new EmbedDocument
            {
                JobId = message.JobId, TenantId = message.TenantId, DocumentId = document.Id, OcrPages = parsed.OcrPages,
                Format = parsed.Format, CorrelationId = message.CorrelationId,
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

    /// <summary>Maps pages done / total onto 0–49 % and writes only when the percentage moves, not once per page.</summary>
    private sealed class ProgressThrottle(JobExecution job)
    {
        private int _last = -1;

        public async Task ReportAsync(int done, int total)
        {
            var percent = total <= 0 ? 0 : (int)Math.Min(49, 49L * done / total);
            if (percent != _last)
            {
                _last = percent;
                await job.ReportProgressAsync(percent);
            }
        }
    }
}

public sealed class ParseDocumentConsumerDefinition(IOptions<BusOptions> bus, IOptions<IngestOptions> ingest)
    : JobConsumerDefinition<ParseDocumentConsumer>(bus.Value, QueueNames.ParseDocument, ingest.Value.Concurrency);
