using System.Text.Json;
using Platform.Api.Auth;
using Platform.Infrastructure.Data;
using Platform.Infrastructure.Jobs;

namespace Platform.Api.Endpoints;

public sealed record RetentionBody(bool? DryRun);

public static class BackupEndpoints
{
    public static void MapBackupEndpoints(this RouteGroupBuilder api)
    {
        var backups = api.MapGroup("/backups").WithTags("Backups").RequireAuthorization(Scopes.Admin);
        backups.MapPost("/", StartAsync);
        backups.MapGet("/", ListAsync);
        backups.MapGet("/{id:guid}", GetAsync);
        backups.MapPost("/retention", RetentionAsync);
    }

    private static async Task<IResult> StartAsync(JobSubmitter submitter, CancellationToken ct)
    {
        var job = await submitter.SubmitAsync(SystemTenant.Id, JobTypes.Backup, ct: ct);
        return Results.Accepted($"/api/v1/jobs/{job.Id}", new Accepted(job.Id, job.Status));
    }

    private static async Task<IResult> RetentionAsync(RetentionBody? body, JobSubmitter submitter, CancellationToken ct)
    {
        var job = await submitter.SubmitAsync(SystemTenant.Id, JobTypes.BackupRetention, new RetentionInput(body?.DryRun ?? false), ct: ct);
        return Results.Accepted($"/api/v1/jobs/{job.Id}", new Accepted(job.Id, job.Status));
    }

    private static async Task<IResult> ListAsync(BackupStore backups, CancellationToken ct) =>
        Results.Ok((await backups.ListAsync(200, ct)).Select(View));

    private static async Task<IResult> GetAsync(Guid id, BackupStore backups, CancellationToken ct) =>
        await backups.GetAsync(id, ct) is { } backup ? Results.Ok(View(backup)) : Problems.NotFound("Backup", id);

    private static object View(Backup b) => new
    {
        b.Id, b.JobId, b.Status, b.Provider, b.SizeBytes, b.Sha256, b.StartedAt, b.FinishedAt, b.VerifiedAt, b.VerifyStatus, b.RestoreMs,
        b.ErrorMessage, Manifest = b.Manifest is null ? (JsonElement?)null : JsonDocument.Parse(b.Manifest).RootElement.Clone(),
    };
}
