using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using Platform.Api.Auth;

namespace Platform.Api.Dashboard;

/// <summary>
/// Who is looking at the dashboard and what they may do: a logged-in user (cookie), a caller with an API key, or
/// nobody. Every JSON endpoint goes through <see cref="Filter"/>: reads need any role, changes need admin plus the
/// <c>X-Dashboard</c> header (a cross-site form cannot set it, so a forged POST fails even with the cookie).
/// </summary>
public sealed class DashboardAccess(IOptions<DashboardOptions> options, IOptions<AuthOptions> auth)
{
    public const string Scheme = "Dashboard";
    public const string CsrfHeader = "X-Dashboard";

    /// <summary>No users and no API keys: local use, everyone is admin (as with the API itself).</summary>
    public bool Open => options.Value.Users.Count == 0 && auth.Value.ApiKeys.Count == 0;

    public async Task<DashboardCaller?> ResolveAsync(HttpContext http)
    {
        var cookie = await http.AuthenticateAsync(Scheme);
        if (cookie.Succeeded && cookie.Principal.FindFirstValue(DashboardRoles.ClaimType) is { } role)
        {
            return new DashboardCaller(cookie.Principal.Identity?.Name ?? "?", role, "login");
        }
        if (auth.Value.ApiKeys.Count > 0)
        {
            var key = await http.AuthenticateAsync(ApiKeyAuthentication.SchemeName);
            if (key.Succeeded && RoleOfScopes(key.Principal) is { } keyRole)
            {
                return new DashboardCaller(key.Principal.Identity?.Name ?? "api key", keyRole, "api-key");
            }
        }
        return Open ? new DashboardCaller("anonymous", DashboardRoles.Admin, "open") : null;
    }

    private static string? RoleOfScopes(ClaimsPrincipal user) =>
        user.HasClaim(Scopes.ClaimType, Scopes.Admin) ? DashboardRoles.Admin
        : user.HasClaim(Scopes.ClaimType, Scopes.Read) || user.HasClaim(Scopes.ClaimType, Scopes.Submit) ? DashboardRoles.ReadOnly
        : null;

    /// <summary>The user whose name and password match, compared by SHA-256 in constant time.</summary>
    public DashboardUser? CheckPassword(string name, string password)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(password));
        DashboardUser? match = null;
        foreach (var user in options.Value.Users)
        {
            var expected = user.PasswordSha256.Length == 64 ? Convert.FromHexString(user.PasswordSha256) : new byte[32];
            // Every entry is compared, so the time taken does not tell which names exist.
            if (CryptographicOperations.FixedTimeEquals(expected, hash) & string.Equals(user.Name, name, StringComparison.Ordinal)
                && user.PasswordSha256.Length == 64)
            {
                match = user;
            }
        }
        return match;
    }

    /// <summary>The role an API key gives on the dashboard, or null for an unknown key.</summary>
    public (string Name, string Role)? CheckApiKey(string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        foreach (var entry in auth.Value.ApiKeys)
        {
            var expected = entry.Sha256 is { Length: 64 } hex ? Convert.FromHexString(hex)
                : entry.Key is { Length: > 0 } clear ? SHA256.HashData(Encoding.UTF8.GetBytes(clear)) : null;
            if (expected is not null && CryptographicOperations.FixedTimeEquals(expected, hash))
            {
                var scopes = entry.Scopes.Count > 0 ? entry.Scopes : [Scopes.Read, Scopes.Submit];
                return (entry.Name, scopes.Contains(Scopes.Admin) ? DashboardRoles.Admin : DashboardRoles.ReadOnly);
            }
        }
        return null;
    }

    public static Task SignInAsync(HttpContext http, string name, string role) =>
        http.SignInAsync(Scheme, new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), new Claim(DashboardRoles.ClaimType, role)], Scheme)));

    /// <summary>401 without a caller, 403 for a change by a read-only caller or without the anti-forgery header.</summary>
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var access = http.RequestServices.GetRequiredService<DashboardAccess>();
        var caller = await access.ResolveAsync(http);
        if (caller is null)
        {
            return Results.Problem(statusCode: 401, title: "Log in to the dashboard.");
        }
        if (!HttpMethods.IsGet(http.Request.Method))
        {
            if (!caller.CanAct)
            {
                return Results.Problem(statusCode: 403, title: "This account is read-only.");
            }
            if (caller.Via == "login" && !http.Request.Headers.ContainsKey(CsrfHeader))
            {
                return Results.Problem(statusCode: 403, title: $"Missing {CsrfHeader} header.");
            }
        }
        http.Items[typeof(DashboardCaller)] = caller;
        return await next(context);
    }
}

public sealed record DashboardCaller(string Name, string Role, string Via)
{
    public bool CanAct => Role == DashboardRoles.Admin;
}
