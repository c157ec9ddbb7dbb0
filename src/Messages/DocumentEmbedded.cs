namespace Platform.Messages;

/// <summary>A document's chunks were embedded and indexed; it is searchable now.</summary>
public sealed record DocumentEmbedded
{
    /// <summary>The ingestion job, which has succeeded.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The tenant that owns the document.</summary>
    public required string TenantId { get; init; }

    /// <summary>The indexed document.</summary>
    public required Guid DocumentId { get; init; }

    /// <summary>How many chunks were embedded in this run (unchanged chunks keep their vectors).</summary>
    public required int EmbeddedCount { get; init; }

    /// <summary>From the command.</summary>
    public Guid? CorrelationId { get; init; }
}
