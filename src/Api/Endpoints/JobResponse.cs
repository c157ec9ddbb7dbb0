using System.Text.Json;
using Platform.Data;

namespace Platform.Api.Endpoints;

public sealed record JobError(string Code, string Message);

/// <summary>A job as the API shows it. <see cref="Result"/> is the job's result document once it succeeded.</summary>
public sealed record JobResponse(
    Guid Id, string Type, string Status, int Progress, int Attempts, Guid? DocumentId, Guid? CorrelationId, bool CancelRequested,
    JobError? Error, JsonElement? Result, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt)
{
    public static JobResponse From(Job job) => new(
        job.Id, job.Type, job.Status, job.Progress, job.Attempts, job.DocumentId, job.CorrelationId, job.CancelRequested,
        job.ErrorCode is null ? null : new JobError(job.ErrorCode, job.ErrorMessage ?? ""),
        job.Result is null ? null : JsonDocument.Parse(job.Result).RootElement.Clone(),
        job.CreatedAt, job.UpdatedAt, job.StartedAt, job.FinishedAt);
}

/// <summary>What a submission returns with 202 Accepted; poll <c>Location</c> for the outcome.</summary>
public sealed record Accepted(Guid JobId, string Status, Guid? DocumentId = null);
