using System.Security.Claims;
using Microsoft.AspNetCore.Routing.Patterns;
using Platform.Api.Auth;
using Platform.Data;
using Platform.Jobs;

namespace Platform.Api.Dashboard;

public static class DashboardOperations
{
    public static void MapDashboardBackups(this RouteGroupBuilder api)
    {
        api.MapGet("/backups", async (BackupStore backups, CancellationToken ct) => Results.Ok((await backups.ListAsync(100, ct)).Select(b => new
        {
            b.Id, b.JobId, b.Status, b.Provider, b.SizeBytes, b.Sha256, b.StartedAt, b.FinishedAt, b.VerifiedAt, b.VerifyStatus, b.RestoreMs,
            b.ErrorMessage,
        })));
        api.MapPost("/backups/start", async (JobSubmitter submitter, CancellationToken ct) =>
            Results.Ok(await submitter.SubmitAsync(SystemTenant.Id, JobTypes.Backup, ct: ct)));
        api.MapPost("/backups/{id:guid}/verify", async (Guid id, HttpContext http, BackupVerification verification) =>
        {
            if (!verification.Available)
            {
                return Results.Problem(statusCode: 404, title: "This version of the API has no backup verification.");
            }
            await verification.InvokeAsync(http, id);
            return Results.Empty;
        });
    }
}

/// <summary>
/// Backup verification belongs to the backup API (<c>POST /api/v1/backups/{id}/verify</c>), which may not exist in this
/// build. The dashboard offers it only when that endpoint is mapped, and runs its handler in-process as the system admin
/// (the dashboard caller was already checked to be an admin).
/// </summary>
public sealed class BackupVerification(EndpointDataSource endpoints)
{
    private RouteEndpoint? Endpoint => endpoints.Endpoints.OfType<RouteEndpoint>().FirstOrDefault(e =>
        e.RoutePattern.RawText is { } raw && raw.Contains("backups", StringComparison.OrdinalIgnoreCase)
        && raw.EndsWith("/verify", StringComparison.OrdinalIgnoreCase) && !raw.StartsWith("/dashboard", StringComparison.Ordinal)
        && e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("POST") == true);

    public bool Available => Endpoint is not null;

    public Task InvokeAsync(HttpContext http, Guid id)
    {
        var endpoint = Endpoint!;
        var parameter = endpoint.RoutePattern.Parameters.FirstOrDefault(p => p.ParameterKind == RoutePatternParameterKind.Standard)?.Name ?? "id";
        http.Request.RouteValues[parameter] = id.ToString();
        http.User = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "dashboard"), new Claim(Scopes.TenantClaim, SystemTenant.Id), new Claim(Scopes.ClaimType, Scopes.Admin)],
            ApiKeyAuthentication.SchemeName));
        return endpoint.RequestDelegate!(http);
    }
}
