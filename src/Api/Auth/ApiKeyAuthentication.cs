using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Platform.Api.Auth;

/// <summary>
/// Authenticates <c>X-Api-Key: …</c> or <c>Authorization: Bearer …</c> against the configured keys, compared by
/// SHA-256 in constant time. The key decides the tenant; a request never chooses its own.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptions<AuthOptions> auth)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var keys = auth.Value.ApiKeys;
        var presented = PresentedKey();
        if (keys.Count == 0)
        {
            return Task.FromResult(Success("anonymous", Scopes.DefaultTenant, [Scopes.Read, Scopes.Submit, Scopes.Admin]));
        }
        if (presented is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        foreach (var entry in keys)
        {
            var expected = entry.Sha256 is { Length: 64 } hex ? Convert.FromHexString(hex)
                : entry.Key is { Length: > 0 } clear ? SHA256.HashData(Encoding.UTF8.GetBytes(clear)) : null;
            if (expected is not null && CryptographicOperations.FixedTimeEquals(expected, hash))
            {
                var scopes = entry.Scopes.Count > 0 ? entry.Scopes : [Scopes.Read, Scopes.Submit];
                return Task.FromResult(Success(entry.Name, entry.Tenant, scopes));
            }
        }
        return Task.FromResult(AuthenticateResult.Fail("Unknown API key."));
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
