using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Platform.Api.Auth;
using Platform.Data;
using Platform.Jobs;

namespace Platform.Api.Endpoints;

public static class JobEndpoints
{
    public static void MapJobEndpoints(this RouteGroupBuilder api)
    {
        var jobs = api.MapGroup("/jobs").WithTags("Jobs");
        jobs.MapGet("/{id:guid}", GetAsync).RequireAuthorization(Scopes.Read);
        jobs.MapGet("/", ListAsync).RequireAuthorization(Scopes.Read);
        jobs.MapPost("/{id:guid}/cancel", CancelAsync).RequireAuthorization(Scopes.Submit);
        jobs.MapPost("/{id:guid}/retry", RetryAsync).RequireAuthorization(Scopes.Submit);
        api.MapPost("/probes", ProbeAsync).WithTags("Jobs").RequireAuthorization(Scopes.Submit);
    }

    /// <summary>A job that does no work: its trip through API, broker, worker and job store shows the pipeline moves.</summary>
    private static async Task<IResult> ProbeAsync(ClaimsPrincipal user, JobSubmitter submitter, CancellationToken ct)
    {
        var job = await submitter.SubmitAsync(user.TenantId(), JobTypes.Probe, ct: ct);
        return Results.Accepted($"/api/v1/jobs/{job.Id}", new Accepted(job.Id, job.Status));
    }

    private static async Task<IResult> GetAsync(Guid id, ClaimsPrincipal user, JobStore jobs, CancellationToken ct) =>
        await FindAsync(id, user, jobs, ct) is { } job ? Results.Ok(JobResponse.From(job)) : Problems.NotFound("Job", id);

    /// <summary>The caller's own job; for admins also the system's maintenance jobs (backups, retention).</summary>
    private static async Task<Job?> FindAsync(Guid id, ClaimsPrincipal user, JobStore jobs, CancellationToken ct) =>
        await jobs.GetAsync(id, user.TenantId(), ct)
        ?? (user.HasClaim(Scopes.ClaimType, Scopes.Admin) ? await jobs.GetAsync(id, SystemTenant.Id, ct) : null);

    private static async Task<IResult> ListAsync(ClaimsPrincipal user, JobStore jobs, string? status, string? type, [Range(1, 500)] int? limit,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (status is not null && !JobStatus.All.Contains(status))
        {
            errors["status"] = [$"Use one of: {string.Join(", ", JobStatus.All)}."];
        }
        if (limit is < 1 or > 500)
        {
            errors["limit"] = ["Between 1 and 500."];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var rows = await jobs.ListAsync(new JobQuery(user.TenantId(), status, type, limit ?? 50), ct);
        return Results.Ok(rows.Select(JobResponse.From));
    }

    /// <summary>A failed or cancelled job runs again (attempts kept); 409 for a job that has not ended badly, or whose failure a retry cannot change.</summary>
    private static async Task<IResult> RetryAsync(Guid id, ClaimsPrincipal user, JobStore jobs, JobSubmitter submitter, CancellationToken ct)
    {
        if (await FindAsync(id, user, jobs, ct) is not { } found)
        {
            return Problems.NotFound("Job", id);
        }
        if (found.Status == JobStatus.Failed && ReasonCodes.WhyRetryCannotHelp(found.ErrorCode) is { } why)
        {
            return Problems.Status(409, "Job cannot be retried", $"A retry cannot change {found.ErrorCode}: {why}", "not-retryable");
        }
        return await submitter.RetryAsync(id, ct)
            ? Results.Accepted($"/api/v1/jobs/{id}", JobResponse.From((await jobs.GetAsync(id, ct: ct))!))
            : Problems.Status(409, "Job cannot be retried", "Only a failed or cancelled job can be retried.", "not-retryable");
    }

    /// <summary>A queued job is cancelled at once; a running one is stopped by its worker within seconds.</summary>
    private static async Task<IResult> CancelAsync(Guid id, ClaimsPrincipal user, JobStore jobs, CancellationToken ct) =>
        await FindAsync(id, user, jobs, ct) is { } found && await jobs.RequestCancelAsync(id, found.TenantId, ct) is { } job
            ? Results.Accepted($"/api/v1/jobs/{id}", JobResponse.From(job))
            : Problems.NotFound("Job", id);
}
