namespace Platform.Messages;

/// <summary>An answer was stored as the result of its job.</summary>
public sealed record AnswerGenerated
{
    /// <summary>The answer job, which has succeeded; GET /api/v1/answers/{JobId} returns the answer.</summary>
    public required Guid JobId { get; init; }

    /// <summary>The tenant that asked.</summary>
    public required string TenantId { get; init; }

    /// <summary>How many sources the answer cites.</summary>
    public required int CitationCount { get; init; }

    /// <summary>From the command.</summary>
    public Guid? CorrelationId { get; init; }
}
