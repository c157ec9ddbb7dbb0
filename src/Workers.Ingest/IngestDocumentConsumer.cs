using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using MassTransit;
using Microsoft.Extensions.Options;
using Platform.Blobs;
using Platform.Data;
using Platform.Jobs;
using Platform.Messages;

namespace Platform.Workers.Ingest;

/// <summary>
/// Accepts a document submitted over the broker alone: proves the tenant by the command's API key, copies the
/// content (blob key or inline text) to the document's own blob, records the document and an ingest job, and sends
/// <see cref="ParseDocument"/>, so the job then runs exactly like an upload. A command that fails a check throws
/// <see cref="IngestRejectedException"/> before anything is written: MassTransit moves it to <c>ingest-document_error</c>
/// with the reason in <c>MT-Fault-Message</c>. Ids derive from the envelope's messageId, so a redelivery records nothing twice.
/// </summary>
public sealed partial class IngestDocumentConsumer(
    ApiKeyVerifier keys, DocumentStore documents, JobStore jobs, IBlobStore blobs, IOptions<IngestOptions> options,
    ILogger<IngestDocumentConsumer> logger)
    : IConsumer<IngestDocument>
{
    public async Task Consume(ConsumeContext<IngestDocument> context)
    {
        var message = context.Message;
        var tenant = Prove(message);
        var fileName = CheckContent(message, tenant);
        var seed = message.DocumentId?.ToString() ?? context.MessageId?.ToString()
            ?? throw new IngestRejectedException(ReasonCodes.InvalidInput, "The envelope has no messageId and the command no DocumentId.");
        var documentId = message.DocumentId ?? DerivedId("document", seed);
        var jobId = message.JobId ?? DerivedId("job", seed);
        var correlationId = message.CorrelationId ?? context.CorrelationId ?? context.MessageId;

        var job = await jobs.GetAsync(jobId, ct: context.CancellationToken);
        if (job is not null && job.TenantId != tenant)
        {
            throw new IngestRejectedException(ReasonCodes.InvalidInput, $"Job id {jobId} is already taken.");
        }
        var document = await documents.GetAsync(documentId, ct: context.CancellationToken);
        if (document is not null && document.TenantId != tenant)
        {
            throw new IngestRejectedException(ReasonCodes.InvalidInput, $"Document id {documentId} is already taken.");
        }
        if (job is not null && job.DispatchedAt is not null)
        {
            logger.LogInformation("IngestDocument {MessageId} was already accepted as job {JobId}", context.MessageId, jobId);
            return;
        }

        document ??= await documents.CreateAsync(await StoreAsync(message, tenant, documentId, fileName, context.CancellationToken),
            context.CancellationToken);
        job ??= await jobs.CreateAsync(tenant, JobTypes.Ingest, null, document.Id, correlationId, context.CancellationToken, jobId);
        await context.SendBoundedAsync(new ParseDocument
        {
            JobId = job.Id, TenantId = tenant, DocumentId = document.Id, CorrelationId = job.CorrelationId,
        });
        await jobs.MarkDispatchedAsync(job.Id, context.CancellationToken);
        logger.LogInformation("Document {DocumentId} accepted over the broker for tenant {TenantId} as job {JobId}", document.Id, tenant, job.Id);
    }

    private string Prove(IngestDocument message)
    {
        var key = keys.Verify(message.ApiKey);
        if (key is null || !key.CanSubmit || string.IsNullOrEmpty(message.TenantId) || key.Tenant != message.TenantId)
        {
            throw new IngestRejectedException(ReasonCodes.TenantNotProven,
                $"The command's ApiKey does not prove tenant '{message.TenantId}' with the submit scope.");
        }
        return key.Tenant;
    }

    private static string CheckContent(IngestDocument message, string tenant)
    {
        var fileName = Path.GetFileName(message.FileName?.Trim() ?? "");
        if (fileName.Length is 0 or > 255)
        {
            throw new IngestRejectedException(ReasonCodes.InvalidInput, "FileName must be 1 to 255 characters.");
        }
        if ((message.BlobKey is null) == (message.Text is null))
        {
            throw new IngestRejectedException(ReasonCodes.InvalidInput, "Set exactly one of BlobKey and Text.");
        }
        if (message.Text is { } text && Encoding.UTF8.GetByteCount(text) > IngestDocument.MaxInlineTextBytes)
        {
            throw new IngestRejectedException(ReasonCodes.TooLarge,
                $"Inline Text is limited to {IngestDocument.MaxInlineTextBytes:N0} UTF-8 bytes; put larger content in the blob store.");
        }
        if (message.BlobKey is { } blobKey && (!blobKey.StartsWith($"incoming/{tenant}/", StringComparison.Ordinal)
            || !SafeKey().IsMatch(blobKey) || blobKey.Split('/').Any(part => part is "." or "..")))
        {
            throw new IngestRejectedException(ReasonCodes.InvalidInput, $"BlobKey must be a key under 'incoming/{tenant}/'.");
        }
        return fileName;
    }

    private async Task<Document> StoreAsync(IngestDocument message, string tenant, Guid documentId, string fileName, CancellationToken ct)
    {
        var key = $"uploads/{tenant}/{documentId:N}";
        Stream source;
        try
        {
            source = message.Text is { } text ? new MemoryStream(Encoding.UTF8.GetBytes(text)) : await blobs.OpenReadAsync(message.BlobKey!, ct);
        }
        catch (BlobNotFoundException)
        {
            throw new IngestRejectedException(ReasonCodes.NotFound, $"No blob at '{message.BlobKey}'.");
        }
        await using (source)
        {
            await using var hashing = new HashingStream(source, options.Value.MaxDocumentBytes);
            long size;
            try
            {
                size = await blobs.PutAsync(key, hashing, ct);
            }
            catch (StreamTooLongException)
            {
                throw new IngestRejectedException(ReasonCodes.TooLarge, $"Documents are limited to {options.Value.MaxDocumentBytes:N0} bytes.");
            }
            if (size == 0)
            {
                await blobs.DeleteAsync(key, CancellationToken.None);
                throw new IngestRejectedException(ReasonCodes.InvalidInput, "The content is empty.");
            }
            return new Document
            {
                Id = documentId, TenantId = tenant, FileName = fileName, SizeBytes = size, Sha256 = hashing.FinishHash(), BlobKey = key,
                ContentType = message.ContentType ?? (message.Text is null ? "application/octet-stream" : "text/plain"),
            };
        }
    }

    // A name-based id (RFC 9562 version 8 layout over SHA-256): the same command always yields the same ids.
    private static Guid DerivedId(string kind, string seed)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"platform:ingest-document:{kind}:{seed}")).AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    [GeneratedRegex("^[A-Za-z0-9._~/-]{1,512}$")]
    private static partial Regex SafeKey();
}

/// <summary>A broker command refused before anything was recorded; its message (<c>reason_code: text</c>) becomes the <c>MT-Fault-Message</c> header.</summary>
public sealed class IngestRejectedException(string reasonCode, string message) : Exception($"{reasonCode}: {message}")
{
    public string ReasonCode { get; } = reasonCode;
}

public sealed class IngestDocumentConsumerDefinition : ConsumerDefinition<IngestDocumentConsumer>
{
    private readonly BusOptions _bus;

    public IngestDocumentConsumerDefinition(IOptions<BusOptions> bus, IOptions<IngestOptions> ingest)
    {
        _bus = bus.Value;
        EndpointName = QueueNames.IngestDocument;
        ConcurrentMessageLimit = ingest.Value.Concurrency;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<IngestDocumentConsumer> consumer,
        IRegistrationContext context)
    {
        // A rejection will not get better by retrying: straight to the error queue.
        if (_bus.RetryLimit > 0)
        {
            endpoint.UseMessageRetry(r =>
            {
                r.Exponential(_bus.RetryLimit, _bus.RetryInitialDelay, _bus.RetryInitialDelay * Math.Pow(2, _bus.RetryLimit), _bus.RetryInitialDelay);
                r.Ignore<IngestRejectedException>();
            });
        }
        // Fault<IngestDocument> would carry the command, API key included, to any subscriber: the error queue is enough.
        endpoint.PublishFaults = false;
    }
}
