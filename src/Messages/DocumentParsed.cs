namespace Platform.Messages;

/// <summary>A document was split into chunks.</summary>
public sealed record DocumentParsed
{
    /// <summary>The ingestion job.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The tenant that owns the document.</summary>
    public required string TenantId { get; init; }

    /// <summary>The parsed document.</summary>
    public required Guid DocumentId { get; init; }

    /// <summary>How many chunks the document has now.</summary>
    public required int ChunkCount { get; init; }

    /// <summary>Pages (1-based) whose text came from OCR; empty when none did. Optional: older senders leave it out.</summary>
    public IReadOnlyList<int>? OcrPages { get; init; }

    /// <summary>The format detected from the file's bytes (pdf, docx, html...). Optional.</summary>
    public string? Format { get; init; }

    /// <summary>From the command.</summary>
    public Guid? CorrelationId { get; init; }
}
