namespace Platform.Data;

/// <summary>A row of <c>chunks</c>: a citable piece of a document with where it came from.</summary>
public sealed class Chunk
{
    public Guid Id { get; init; }
    public string TenantId { get; init; } = "";
    public Guid DocumentId { get; init; }
    public int Ordinal { get; init; }
    public int PageStart { get; init; }
    public int PageEnd { get; init; }
    public string HeadingPath { get; init; } = "";
    public string Kind { get; init; } = "paragraph";
    public int CharStart { get; init; }
    public int CharEnd { get; init; }
    public string Content { get; init; } = "";
    public string ContentHash { get; init; } = "";
    public string SearchText { get; init; } = "";
    public DateTimeOffset? EmbeddedAt { get; init; }
}
