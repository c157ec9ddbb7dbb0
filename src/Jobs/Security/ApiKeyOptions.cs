using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Platform.Jobs;

/// <summary>
/// The key list of section <c>Auth</c> (<c>Auth:ApiKeys</c>), as every host that checks keys reads it. The API binds
/// the same section to its own AuthOptions for its other settings.
/// </summary>
public sealed class ApiKeyOptions
{
    public const string Section = "Auth";

    /// <summary>The keys, e.g. <c>Auth__ApiKeys__0__Sha256</c>, <c>__Tenant</c>, <c>__Scopes__0</c>.</summary>
    public List<ApiKeyOptionsEntry> ApiKeys { get; set; } = [];
}

/// <summary>One configured key. Same fields as the API's <c>ApiKeyEntry</c>.</summary>
public sealed class ApiKeyOptionsEntry
{
    /// <summary>For logs; never the key itself.</summary>
    public string Name { get; set; } = "";

    /// <summary>Lower-case hex SHA-256 of the key (preferred: the key itself is then stored nowhere).</summary>
    public string? Sha256 { get; set; }

    /// <summary>The key in clear, for development only.</summary>
    public string? Key { get; set; }

    /// <summary>The tenant the key acts for.</summary>
    public string Tenant { get; set; } = "";

    /// <summary>Any of <c>read</c>, <c>submit</c>, <c>admin</c> (default read and submit).</summary>
    public List<string> Scopes { get; set; } = [];
}

public static class ApiKeyExtensions
{
    /// <summary>Registers <see cref="ApiKeyVerifier"/> bound to <c>Auth:ApiKeys</c>. Safe to call from several places.</summary>
    public static IServiceCollection AddApiKeyVerifier(this IServiceCollection services)
    {
        services.AddOptions<ApiKeyOptions>().BindConfiguration(ApiKeyOptions.Section);
        services.TryAddSingleton<ApiKeyVerifier>();
        return services;
    }
}
