using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Platform.Api.Auth;
using Platform.Blobs;
using Platform.Data;
using Platform.Jobs;
using Platform.Search;

namespace Platform.Api.Endpoints;

public static class DocumentEndpoints
{
    public static void MapDocumentEndpoints(this RouteGroupBuilder api)
    {
        var documents = api.MapGroup("/documents").WithTags("Documents");
        documents.MapPost("/", UploadAsync).RequireAuthorization(Scopes.Submit).DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data");
        documents.MapGet("/", DocumentList.ListAsync).RequireAuthorization(Scopes.Read);
        documents.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Scopes.Read);
        documents.MapDelete("/{id:guid}", DeleteAsync).RequireAuthorization(Scopes.Delete)
            .Produces(204).ProducesProblem(404);
        documents.MapGet("/{id:guid}/chunks", ChunksAsync).RequireAuthorization(Scopes.Read);
    }

    /// <summary>
    /// Streams the first file part of a multipart body into the blob store (hashing it on the way, never buffering it
    /// whole), records the document, and queues its ingestion. 202 with the job to poll.
    /// </summary>
    private static async Task<IResult> UploadAsync(HttpRequest request, ClaimsPrincipal user, IBlobStore blobs, DocumentStore documents,
        JobSubmitter submitter, Db db, IOptions<ApiOptions> options, ILoggerFactory loggers, DocumentTags documentTags, CancellationToken ct)
    {
        var limit = options.Value.MaxUploadBytes;
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = limit + 64 * 1024; // room for the multipart framing
        }
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Status(415, "Unsupported media type", "Upload the file as multipart/form-data with a part named 'file'.",
                "unsupported-media-type");
        }
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            return Problems.Invalid("Content-Type", "The multipart boundary is missing.");
        }

        var tenant = user.TenantId();
        var documentId = Guid.CreateVersion7();
        var key = $"uploads/{tenant}/{documentId:N}";
        // Tags (AI issue): optional, comma-separated, from ?tags= or a 'tags' form field sent before the file part.
        var tags = DocumentTags.Parse(request.Query["tags"].ToString());
        try
        {
            var reader = new MultipartReader(boundary, request.Body);
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFileDisposition())
                {
                    if (disposition is not null && disposition.IsFormDisposition() && disposition.Name.Value == "tags"
                        && section.AsFormDataSection() is { } field)
                    {
                        tags = [.. tags, .. DocumentTags.Parse(await field.GetValueAsync(ct))];
                    }
                    continue;
                }
                var fileName = UploadNames.Safe(disposition.FileNameStar.Value ?? disposition.FileName.Value);
                await using var hashing = new HashingStream(section.Body, limit);
                var size = await blobs.PutAsync(key, hashing, ct);
                if (size == 0)
                {
                    await blobs.DeleteAsync(key, CancellationToken.None);
                    return Problems.Invalid("file", "The file is empty.");
                }
                var sha256 = hashing.FinishHash();
                // The check for identical bytes and the new document's insert hold one lock per tenant and content,
                // across replicas: identical uploads at once (a retried upload, a double click) find each other instead
                // of each creating a document.
                var (answer, reused) = await db.WithNamedLockAsync($"upload:{tenant}:{sha256}", async () =>
                {
                    if (await ReuseDuplicateAsync(tenant, sha256, db, documents, submitter, ct) is { } duplicate)
                    {
                        return (Results.Accepted($"/api/v1/jobs/{duplicate.JobId}", duplicate), true);
                    }
                    var document = await documents.CreateAsync(new Document
                    {
                        Id = documentId, TenantId = tenant, FileName = fileName, SizeBytes = size, Sha256 = sha256, BlobKey = key,
                        ContentType = section.ContentType ?? "application/octet-stream",
                    }, ct);
                    if (tags.Count > 0)
                    {
                        await documentTags.SetAsync(document.Id, tags, ct);
                    }
                    var job = await submitter.SubmitAsync(tenant, JobTypes.Ingest, documentId: document.Id, ct: ct);
                    return (Results.Accepted($"/api/v1/jobs/{job.Id}", new Accepted(job.Id, job.Status, document.Id)), false);
                }, ct);
                if (reused)
                {
                    await blobs.DeleteAsync(key, CancellationToken.None);
                }
                return answer;
            }
            return Problems.Invalid("file", "The multipart body has no file part.");
        }
        catch (StreamTooLongException)
        {
            return Problems.Status(413, "Upload too large", $"Uploads are limited to {limit:N0} bytes.", "too-large");
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == 413)
        {
            return Problems.Status(413, "Upload too large", $"Uploads are limited to {limit:N0} bytes.", "too-large");
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            loggers.CreateLogger("Platform.Api.Uploads").LogInformation("Rejected malformed upload: {Reason}", ex.Message);
            return Problems.Invalid("body", $"The multipart body is malformed: {ex.Message}");
        }
    }

    /// <summary>
    /// Identical bytes already uploaded by this tenant (same SHA-256): the existing document and its latest ingest job are
    /// returned instead of a second copy. A document whose ingestion failed is queued again (the cause may be fixed).
    /// </summary>
    private static async Task<DuplicateUpload?> ReuseDuplicateAsync(string tenant, string sha256, Db db, DocumentStore documents,
        JobSubmitter submitter, CancellationToken ct)
    {
        var existing = await db.QuerySingleOrDefaultAsync<IdAndStatus>(
            "SELECT id AS Id, status AS Status FROM documents WHERE tenant_id = @tenant AND sha256 = @sha256 ORDER BY created_at LIMIT 1",
            new { tenant, sha256 }, ct);
        if (existing is null || await documents.GetAsync(existing.Id, tenant, ct) is not { } document)
        {
            return null;
        }
        var documentId = document.Id;
        var job = await db.QuerySingleOrDefaultAsync<IdAndStatus>(
            "SELECT id AS Id, status AS Status FROM jobs WHERE document_id = @documentId ORDER BY created_at DESC LIMIT 1", new { documentId }, ct);
        if (job is null || document.Status == DocumentStatus.Failed)
        {
            var submitted = await submitter.SubmitAsync(tenant, JobTypes.Ingest, documentId: document.Id, ct: ct);
            job = new IdAndStatus { Id = submitted.Id, Status = submitted.Status };
        }
        return new DuplicateUpload(job.Id, job.Status, document.Id, true,
            $"Identical file already uploaded as '{document.FileName}' (SHA-256 {sha256}); the existing document is reused.");
    }

    private sealed class IdAndStatus
    {
        public Guid Id { get; init; }
        public string Status { get; init; } = "";
    }

    private static async Task<IResult> GetAsync(Guid id, ClaimsPrincipal user, DocumentStore documents, CancellationToken ct) =>
        await documents.GetAsync(id, user.TenantId(), ct) is { Status: not DocumentStatus.Deleted } document
            ? Results.Ok(document)
            : Problems.NotFound("Document", id);

    /// <summary>
    /// Removes the document, its chunks, vectors, graph mentions and blob, and stops its unfinished jobs. 204 also when it
    /// was already deleted (idempotent); 404 when this tenant never had it. Answers already given keep their text; their
    /// citations of it say <c>documentDeleted: true</c>.
    /// </summary>
    private static async Task<IResult> DeleteAsync(Guid id, ClaimsPrincipal user, DocumentDeletion deletion, CancellationToken ct) =>
        await deletion.DeleteAsync(user.TenantId(), id, ct) ? Results.NoContent() : Problems.NotFound("Document", id);

    private static async Task<IResult> ChunksAsync(Guid id, ClaimsPrincipal user, DocumentStore documents, ChunkStore chunks,
        CancellationToken ct)
    {
        if (await documents.GetAsync(id, user.TenantId(), ct) is null or { Status: DocumentStatus.Deleted })
        {
            return Problems.NotFound("Document", id);
        }
        var rows = await chunks.ListByDocumentAsync(id, ct);
        return Results.Ok(rows.Select(c => new
        {
            c.Id, c.Ordinal, c.PageStart, c.PageEnd, c.HeadingPath, c.Kind, c.CharStart, c.CharEnd, c.ContentHash, c.Content, c.EmbeddedAt,
        }));
    }
}

/// <summary>202 body of an upload whose bytes this tenant had already uploaded: the existing document and its job.</summary>
public sealed record DuplicateUpload(Guid JobId, string Status, Guid DocumentId, bool Duplicate, string Message);

public static class UploadNames
{
    /// <summary>The last path segment of a client-supplied name, without control characters, at most 255 characters.</summary>
    public static string Safe(string? name)
    {
        var last = (name ?? "").Replace('\\', '/').Split('/').LastOrDefault() ?? "";
        var clean = new string(last.Where(c => !char.IsControl(c)).ToArray()).Trim().TrimStart('.');
        return clean.Length == 0 ? "upload" : clean.Length > 255 ? clean[..255] : clean;
    }
}
