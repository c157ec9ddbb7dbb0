namespace Platform.Messages;

/// <summary>
/// Ingest a document submitted over the broker alone (queue <c>ingest-document</c>), without the REST API.
/// The content is either a key in the platform's blob store (<see cref="BlobKey"/>; an S3 object key when the
/// blob store is S3) or small inline text (<see cref="Text"/>). The worker proves the tenant with
/// <see cref="ApiKey"/>, records the document and an ingest job, and the job then runs like an upload: its outcome
/// is published as <see cref="JobSucceeded"/>, <see cref="JobFailed"/> or <see cref="JobCancelled"/>, with
/// <see cref="CorrelationId"/> echoed. A command that fails its checks goes to <c>ingest-document_error</c>
/// with the reason in the <c>MT-Fault-Message</c> header, and nothing is recorded.
/// </summary>
public sealed record IngestDocument
{
    /// <summary>Largest inline <see cref="Text"/>, in UTF-8 bytes (256 KiB). Larger content goes by <see cref="BlobKey"/>.</summary>
    public const int MaxInlineTextBytes = 256 * 1024;

    /// <summary>The tenant that will own the document. Must be the tenant of <see cref="ApiKey"/>.</summary>
    public required string TenantId { get; init; }

    /// <summary>
    /// An API key of the tenant with the <c>submit</c> (or <c>admin</c>) scope, the same keys the REST API accepts
    /// (<c>Auth:ApiKeys</c>). May be omitted only when the platform has no keys configured (local use: tenant <c>default</c>).
    /// </summary>
    public string? ApiKey { get; init; }

    /// <summary>The document's file name; its extension selects the parser (<c>.pdf</c>, <c>.docx</c>, <c>.md</c>, <c>.txt</c>, …).</summary>
    public required string FileName { get; init; }

    /// <summary>
    /// Where the content is: a blob-store key under <c>incoming/{TenantId}/</c>, written there by the integrator
    /// (shared volume or S3 bucket). The platform copies it and never deletes it. Exactly one of
    /// <see cref="BlobKey"/> and <see cref="Text"/> is set.
    /// </summary>
    public string? BlobKey { get; init; }

    /// <summary>The content itself, for small text documents (at most <see cref="MaxInlineTextBytes"/> UTF-8 bytes).</summary>
    public string? Text { get; init; }

    /// <summary>MIME type, informative only (default <c>application/octet-stream</c>, or <c>text/plain</c> for inline text).</summary>
    public string? ContentType { get; init; }

    /// <summary>
    /// Optional id for the new document. When omitted it is derived from the envelope's messageId, so a redelivered
    /// command never creates a second document.
    /// </summary>
    public Guid? DocumentId { get; init; }

    /// <summary>Optional id for the ingest job (also derived from the messageId when omitted). Events carry it as <c>JobId</c>.</summary>
    public Guid? JobId { get; init; }

    /// <summary>Echoed on every event this command causes. When omitted, the envelope's correlationId (or messageId) is used.</summary>
    public Guid? CorrelationId { get; init; }
}
