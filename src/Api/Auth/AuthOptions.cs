namespace Platform.Api.Auth;

/// <summary>Section <c>Auth</c>. With no API keys configured, every caller is the tenant <c>default</c> with all scopes (local use only).</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The keys that may call the API, e.g. <c>Auth__ApiKeys__0__Sha256</c>, <c>__Tenant</c>, <c>__Scopes__0</c>.</summary>
    public List<ApiKeyEntry> ApiKeys { get; set; } = [];
}

public sealed class ApiKeyEntry
{
    /// <summary>For logs and the dashboard; never the key itself.</summary>
    public string Name { get; set; } = "";

    /// <summary>Lower-case hex SHA-256 of the key (preferred: the key itself is then stored nowhere).</summary>
    public string? Sha256 { get; set; }

    /// <summary>The key in clear, for development only.</summary>
    public string? Key { get; set; }

    /// <summary>The tenant every request with this key acts for.</summary>
    public string Tenant { get; set; } = "";

    /// <summary>Any of <c>read</c>, <c>submit</c>, <c>delete</c>, <c>admin</c> (default read and submit).</summary>
    public List<string> Scopes { get; set; } = [];
}

public static class Scopes
{
    public const string ClaimType = "scope";
    public const string TenantClaim = "tenant";
    public const string Read = "read";
    public const string Submit = "submit";
    public const string Admin = "admin";

    /// <summary>Deleting documents: a scope of its own (or <c>admin</c>), so a key that uploads cannot also erase.</summary>
    public const string Delete = "delete";
    public const string DefaultTenant = "default";
}
