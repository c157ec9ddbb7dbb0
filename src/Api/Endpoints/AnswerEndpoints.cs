using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Platform.Api.Auth;
using Platform.Data;
using Platform.Jobs;

namespace Platform.Api.Endpoints;

/// <param name="Question">The question, as a person would ask it.</param>
/// <param name="TopK">Passages to retrieve as sources (1–20, default 5).</param>
public sealed record AnswerBody(
    [property: Required, StringLength(SearchEndpoints.MaxQueryLength, MinimumLength = 1)] string? Question,
    [property: Range(1, 20)] int? TopK);

public static class AnswerEndpoints
{
    public static void MapAnswerEndpoints(this RouteGroupBuilder api)
    {
        var answers = api.MapGroup("/answers").WithTags("Answers");
        answers.MapPost("/", AskAsync).RequireAuthorization(Scopes.Submit);
        answers.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Scopes.Read);
        answers.MapGet("/{id:guid}/stream", AnswerStreamEndpoint.StreamAsync).RequireAuthorization(Scopes.Read)
            .Produces(200, contentType: "text/event-stream");
    }

    private static async Task<IResult> AskAsync(AnswerBody body, ClaimsPrincipal user, JobSubmitter submitter, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Question) || body.Question.Length > SearchEndpoints.MaxQueryLength)
        {
            errors["question"] = [$"Ask a question of 1 to {SearchEndpoints.MaxQueryLength} characters."];
        }
        if (body.TopK is < 1 or > 20)
        {
            errors["topK"] = ["topK must be between 1 and 20."];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var job = await submitter.SubmitAsync(user.TenantId(), JobTypes.Answer, new AnswerInput(body.Question!.Trim(), body.TopK), ct: ct);
        return Results.Accepted($"/api/v1/answers/{job.Id}", new Accepted(job.Id, job.Status));
    }

    /// <summary>The answer job: its status, and once it succeeded, the answer and its citations under <c>result</c>.</summary>
    private static async Task<IResult> GetAsync(Guid id, ClaimsPrincipal user, JobStore jobs, DocumentStore documents, CancellationToken ct) =>
        await jobs.GetAsync(id, user.TenantId(), ct) is { Type: JobTypes.Answer } job
            ? Results.Ok(await AnswerCitations.MarkDeletedAsync(JobResponse.From(job), user.TenantId(), documents, ct))
            : Problems.NotFound("Answer", id);
}
