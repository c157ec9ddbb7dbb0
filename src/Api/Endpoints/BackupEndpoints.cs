using System.Text.Json;
using Platform.Api.Auth;
using Platform.Data;
using Platform.Jobs;

namespace Platform.Api.Endpoints;

public sealed record RetentionBody(bool? DryRun);

public sealed record VerifyBody(Guid? BackupId);

public static class BackupEndpoints
{
    public static void MapBackupEndpoints(this RouteGroupBuilder api)
    {
        var backups = api.MapGroup("/backups").WithTags("Backups").RequireAuthorization(Scopes.Admin);
        backups.MapPost("/", StartAsync);
        backups.MapGet("/", ListAsync);
        backups.MapGet("/{id:guid}", GetAsync);
        backups.MapPost("/retention", RetentionAsync);
        backups.MapPost("/verifications", VerifyAsync);
        backups.MapPost("/{id:guid}/verify", (Guid id, JobSubmitter submitter, BackupStore store, CancellationToken ct) => VerifyOneAsync(id, submitter, store, ct));
    }

    /// <summary>Verifies the given backup, or the newest successful one when none is given.</summary>
    private static async Task<IResult> VerifyAsync(VerifyBody? body, JobSubmitter submitter, BackupStore store, CancellationToken ct) =>
        body?.BackupId is { } id ? await VerifyOneAsync(id, submitter, store, ct) : await SubmitVerifyAsync(null, submitter, ct);

    private static async Task<IResult> VerifyOneAsync(Guid id, JobSubmitter submitter, BackupStore store, CancellationToken ct) =>
        await store.GetAsync(id, ct) is null ? Problems.NotFound("Backup", id) : await SubmitVerifyAsync(id, submitter, ct);

    private static async Task<IResult> SubmitVerifyAsync(Guid? id, JobSubmitter submitter, CancellationToken ct)
    {
        var job = await submitter.SubmitAsync(SystemTenant.Id, JobTypes.BackupVerify, new VerifyInput(id), ct: ct);
        return Results.Accepted($"/api/v1/jobs/{job.Id}", new Accepted(job.Id, job.Status));
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
        b.Id, b.JobId, b.Status, b.Provider, b.SizeBytes, b.Sha256, b.StartedAt, b.FinishedAt, b.ErrorMessage, b.Encrypted,
        Verification = new { Status = b.VerifyStatus, b.VerifiedAt, b.RestoreMs, Error = b.VerifyError },
        Copies = new { Local = b.HasLocalCopy, Offsite = b.OffsiteAt is not null, b.OffsiteAt },
        Manifest = b.Manifest is null ? (JsonElement?)null : JsonDocument.Parse(b.Manifest).RootElement.Clone(),
    };
}
