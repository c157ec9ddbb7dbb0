using System.Text.Json;
using Platform.Api.Dashboard.Queues;
using Platform.Data;
using Platform.Jobs;

namespace Platform.Api.Dashboard;

/// <summary>The JSON the dashboard pages poll, under <c>/dashboard/api</c>. Every route passes <see cref="DashboardAccess.Filter"/>.</summary>
public static class DashboardApi
{
    public static void MapDashboardApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/dashboard/api").AddEndpointFilter(DashboardAccess.Filter).ExcludeFromDescription();
        api.MapGet("/me", Me);
        api.MapGet("/overview", async (DashboardStore store, CancellationToken ct) => Results.Ok(await store.OverviewAsync(ct)));
        api.MapGet("/workers", async (DashboardStore store, CancellationToken ct) => Results.Ok(await store.WorkersAsync(ct)));
        api.MapDashboardJobs();
        api.MapGet("/queues", QueuesAsync);
        api.MapPost("/queues/{name}/move-errors", MoveErrorsAsync);
        api.MapDashboardBackups();
        api.MapDashboardDocuments();
    }

    private static IResult Me(HttpContext http, IQueueMonitor queues, BackupVerification verification)
    {
        var caller = (DashboardCaller)http.Items[typeof(DashboardCaller)]!;
        return Results.Ok(new
        {
            caller.Name, caller.Role, caller.CanAct, caller.Via,
            Features = new { MoveErrors = queues.CanMoveErrors, VerifyBackups = verification.Available },
        });
    }

    private static async Task<IResult> QueuesAsync(IQueueMonitor queues, CancellationToken ct)
    {
        try
        {
            return Results.Ok(new { queues.Source, queues.CanMoveErrors, Queues = await queues.ListAsync(ct) });
        }
        catch (HttpRequestException ex)
        {
            return Results.Problem(statusCode: 502, title: $"The {queues.Source} management API did not answer: {ex.Message}");
        }
    }

    private static async Task<IResult> MoveErrorsAsync(string name, int? max, IQueueMonitor queues, CancellationToken ct)
    {
        if (!Platform.Messages.QueueNames.All.Contains(name))
        {
            return Results.Problem(statusCode: 404, title: $"No command queue named {name}.");
        }
        if (!queues.CanMoveErrors)
        {
            return Results.Problem(statusCode: 409, title: "The in-memory bus keeps no error queue; retry the failed jobs instead.");
        }
        return Results.Ok(await queues.MoveErrorsBackAsync(name, Math.Clamp(max ?? 100, 1, 1000), ct));
    }

    /// <summary>A JSON column as JSON when it parses, else as the text it is.</summary>
    public static object? JsonOrText(string? value)
    {
        if (value is null)
        {
            return null;
        }
        try
        {
            return JsonDocument.Parse(value).RootElement.Clone();
        }
        catch (JsonException)
        {
            return value;
        }
    }
}

public static class DashboardJobs
{
    public static void MapDashboardJobs(this RouteGroupBuilder api)
    {
        api.MapGet("/jobs", ListAsync);
        api.MapGet("/jobs/facets", async (DashboardStore store, CancellationToken ct) => Results.Ok(await store.FacetsAsync(ct)));
        api.MapGet("/jobs/{id:guid}", GetAsync);
        api.MapPost("/jobs/{id:guid}/retry", RetryAsync);
        api.MapPost("/jobs/{id:guid}/cancel", async (Guid id, JobStore jobs, CancellationToken ct) =>
            await jobs.GetAsync(id, ct: ct) is null ? NotFound(id) : Results.Ok(await jobs.RequestCancelAsync(id, null, ct)));
        api.MapPost("/jobs/{id:guid}/delete", async (Guid id, JobStore jobs, CancellationToken ct) =>
            await jobs.GetAsync(id, ct: ct) is null ? NotFound(id)
            : await jobs.DeleteAsync(id, ct) ? Results.Ok(new { deleted = id })
            : Results.Problem(statusCode: 409, title: "Only a job that has ended can be deleted; cancel it first."));
        api.MapPost("/jobs/retry-failed", RetryFailedAsync);
    }

    private static IResult NotFound(Guid id) => Results.Problem(statusCode: 404, title: $"No job {id}.");

    private static async Task<IResult> ListAsync(DashboardStore store, string? status, string? type, string? tenant,
        DateTimeOffset? from, DateTimeOffset? to, int? limit, int? offset, CancellationToken ct)
    {
        if (status is not null && !JobStatus.All.Contains(status))
        {
            return Results.Problem(statusCode: 400, title: $"status must be one of {string.Join(", ", JobStatus.All)}.");
        }
        var filter = new JobFilter(status, Blank(type), Blank(tenant), from, to, Math.Clamp(limit ?? 50, 1, 500), Math.Max(0, offset ?? 0));
        return Results.Ok(await store.ListJobsAsync(filter, ct));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static async Task<IResult> GetAsync(Guid id, JobStore jobs, BackupStore backups, DocumentStore documents, CancellationToken ct)
    {
        if (await jobs.GetAsync(id, ct: ct) is not { } job)
        {
            return NotFound(id);
        }
        // There is no history table: the timeline is what the job row's timestamps record.
        var timeline = new List<TimelineEvent> { new(job.CreatedAt, "created", $"queued for tenant {job.TenantId}") };
        if (job.DispatchedAt is { } sent) timeline.Add(new(sent, "sent", "command on the bus"));
        if (job.StartedAt is { } started) timeline.Add(new(started, "started", "first attempt began"));
        if (job.HeartbeatAt is { } beat) timeline.Add(new(beat, "heartbeat", $"last sign of life, progress {job.Progress}%"));
        if (job.FinishedAt is { } done) timeline.Add(new(done, job.Status, job.ErrorCode is null ? "" : $"{job.ErrorCode}: {job.ErrorMessage}"));
        var backup = job.Type is JobTypes.Backup ? await backups.GetByJobAsync(job.Id, ct) : null;
        var document = job.DocumentId is { } documentId ? await documents.GetAsync(documentId, ct: ct) : null;
        return Results.Ok(new
        {
            job.Id, job.TenantId, job.Type, job.Status, job.Progress, job.Attempts, job.ErrorCode, job.ErrorMessage,
            job.DocumentId, document?.FileName, job.CorrelationId, job.CancelRequested, job.CreatedAt, job.UpdatedAt, job.DispatchedAt, job.StartedAt,
            job.FinishedAt, job.HeartbeatAt, Input = DashboardApi.JsonOrText(job.Input), Result = DashboardApi.JsonOrText(job.Result),
            Timeline = timeline.OrderBy(e => e.At), BackupId = backup?.Id,
            NotRetryableBecause = job.Status == JobStatus.Failed ? ReasonCodes.WhyRetryCannotHelp(job.ErrorCode) : null,
        });
    }

    private static async Task<IResult> RetryAsync(Guid id, JobStore jobs, JobSubmitter submitter, ILogger<JobSubmitter> logger,
        CancellationToken ct)
    {
        if (await jobs.GetAsync(id, ct: ct) is not { } job)
        {
            return NotFound(id);
        }
        if (job.Status == JobStatus.Failed && ReasonCodes.WhyRetryCannotHelp(job.ErrorCode) is { } why)
        {
            return Results.Problem(statusCode: 409, title: $"A retry cannot change {job.ErrorCode}: {why}");
        }
        return await submitter.RetryAsync(id, ct)
            ? Results.Ok(await jobs.GetAsync(id, ct: ct))
            : Results.Problem(statusCode: 409, title: "Only a failed or cancelled job can be retried.");
    }

    private static async Task<IResult> RetryFailedAsync(string? type, JobStore jobs, DashboardStore store, JobSubmitter submitter,
        ILogger<JobSubmitter> logger, CancellationToken ct)
    {
        var retried = 0;
        foreach (var id in await store.FailedJobIdsAsync(Blank(type), [.. ReasonCodes.Permanent.Keys], 500, ct))
        {
            retried += await submitter.RetryAsync(id, ct) ? 1 : 0;
        }
        return Results.Ok(new { retried });
    }
}

public sealed record TimelineEvent(DateTimeOffset At, string Event, string Detail);
