namespace Platform.Data;

/// <summary>A row of <c>documents</c>: an uploaded file. Its bytes are in the blob store under <see cref="BlobKey"/>.</summary>
public sealed class Document
{
    public Guid Id { get; init; }
    public string TenantId { get; init; } = "";
    public string FileName { get; init; } = "";
    public string ContentType { get; init; } = "";
    public long SizeBytes { get; init; }
    public string Sha256 { get; init; } = "";
    public string BlobKey { get; init; } = "";
    public string Status { get; init; } = DocumentStatus.Uploaded;
    public int PageCount { get; init; }
    public int ChunkCount { get; init; }

    /// <summary>
    /// Set when part of the text was mojibake (UTF-8 once decoded as Windows-1252/Latin-1) and was repaired on ingest: the
    /// share of its characters repaired, 0–1. Null when nothing was.
    /// </summary>
    public double? TextRepaired { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

public static class DocumentStatus
{
    public const string Uploaded = "uploaded";
    public const string Parsed = "parsed";
    public const string Indexed = "indexed";
    public const string Failed = "failed";

    /// <summary>A tombstone: content, chunks, vectors, graph and blob are gone; the row says the id existed (citations, repeated DELETEs).</summary>
    public const string Deleted = "deleted";

    public static readonly IReadOnlyList<string> Listable = [Uploaded, Parsed, Indexed, Failed];
}
