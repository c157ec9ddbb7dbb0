using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Platform.Jobs;

namespace Platform.Api.Auth;

/// <summary>
/// Authenticates <c>X-Api-Key: …</c> or <c>Authorization: Bearer …</c> against the configured keys
/// (<see cref="ApiKeyVerifier"/>, shared with broker commands that carry a key). The key decides the tenant; a request never chooses its own.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyVerifier keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey();
        if (!keys.KeysConfigured)
        {
            return Task.FromResult(Success("anonymous", Scopes.DefaultTenant, [Scopes.Read, Scopes.Submit, Scopes.Delete, Scopes.Admin]));
        }
        if (presented is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        return Task.FromResult(keys.Verify(presented) is { } key
            ? Success(key.Name, key.Tenant, key.Scopes)
            : AuthenticateResult.Fail("Unknown API key."));
    }

    private string? PresentedKey()
    {
        if (Request.Headers.TryGetValue(Header, out var key) && !string.IsNullOrWhiteSpace(key))
        {
            return key.ToString().Trim();
        }
        var authorization = Request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
    }

    private AuthenticateResult Success(string name, string tenant, IEnumerable<string> scopes)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name), new(Scopes.TenantClaim, tenant) };
        claims.AddRange(scopes.Select(s => new Claim(Scopes.ClaimType, s)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }
}

public static class ClaimsPrincipalExtensions
{
    /// <summary>The tenant the caller acts for; every query of tenant data is filtered by it.</summary>
    public static string TenantId(this ClaimsPrincipal user) =>
        user.FindFirst(Scopes.TenantClaim)?.Value ?? throw new InvalidOperationException("Authenticated caller has no tenant.");
}
