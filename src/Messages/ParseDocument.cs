namespace Platform.Messages;

/// <summary>Parse an uploaded document into chunks. The bytes are in the blob store under the document's key.</summary>
public sealed record ParseDocument
{
    /// <summary>The job that tracks this work; its row exists before the command is sent.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The tenant that owns the document.</summary>
    public required string TenantId { get; init; }

    /// <summary>The document to parse.</summary>
    public required Guid DocumentId { get; init; }

    /// <summary>Echoed on every event this command causes.</summary>
    public Guid? CorrelationId { get; init; }
}
