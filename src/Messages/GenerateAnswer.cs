namespace Platform.Messages;

/// <summary>Answer a question from the tenant's indexed documents, with citations.</summary>
public sealed record GenerateAnswer
{
    /// <summary>The job that tracks the answer; the answer is stored as its result.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The tenant whose documents are searched.</summary>
    public required string TenantId { get; init; }

    /// <summary>The question, as the user asked it.</summary>
    public required string Question { get; init; }

    /// <summary>How many passages to retrieve as sources (default 5).</summary>
    public int? TopK { get; init; }

    /// <summary>Echoed on every event this command causes.</summary>
    public Guid? CorrelationId { get; init; }
}
