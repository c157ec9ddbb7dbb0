namespace Platform.Messages;

/// <summary>Embed and index the chunks of a parsed document.</summary>
public sealed record EmbedDocument
{
    /// <summary>The job that tracks the ingestion of the document.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The tenant that owns the document.</summary>
    public required string TenantId { get; init; }

    /// <summary>The document whose chunks are embedded.</summary>
    public required Guid DocumentId { get; init; }

    /// <summary>Pages whose text came from OCR (1-based), reported in the job result. Optional.</summary>
    public IReadOnlyList<int>? OcrPages { get; init; }

    /// <summary>The format the ingest worker detected (pdf, docx, …), reported in the job result. Optional.</summary>
    public string? Format { get; init; }

    /// <summary>Echoed on every event this command causes.</summary>
    public Guid? CorrelationId { get; init; }
}
