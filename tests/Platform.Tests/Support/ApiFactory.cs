using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Tests.Support;

/// <summary>
/// The API in this test process (WebApplicationFactory) on its own SQLite file and blob folder, single-process mode
/// (src/Standalone: the workers in the same process), with five keys: acme (read+submit), globex (read+submit),
/// auditor (acme, read only), admin (acme, admin) and cleaner (acme, read+delete).
/// </summary>
public sealed class ApiFactory(IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? clock = null)
    : PlatformFactory<Platform.Standalone.StandaloneEntryPoint>(settings, clock);

/// <summary>The deployed API host alone (src/Api: no workers in the process), set up like <see cref="ApiFactory"/>.</summary>
public sealed class ApiOnlyFactory(IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? clock = null)
    : PlatformFactory<Platform.Api.ApiOptions>(settings, clock);

public abstract class PlatformFactory<TEntryPoint>(IReadOnlyDictionary<string, string?>? settings, TimeProvider? clock)
    : WebApplicationFactory<TEntryPoint> where TEntryPoint : class
{
    public const string AcmeKey = "acme-key-0123456789";
    public const string GlobexKey = "globex-key-0123456789";
    public const string AuditorKey = "auditor-key-0123456789";
    public const string AdminKey = "admin-key-0123456789";
    public const string CleanerKey = "cleaner-key-0123456789";

    public string WorkDirectory { get; } = Directory.CreateTempSubdirectory("platform-api-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var defaults = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(WorkDirectory, "platform.db")}",
            ["Blobs:Root"] = Path.Combine(WorkDirectory, "blobs"),
            ["Scheduler:Enabled"] = "false",
            ["Auth:ApiKeys:0:Name"] = "acme", ["Auth:ApiKeys:0:Key"] = AcmeKey, ["Auth:ApiKeys:0:Tenant"] = "acme",
            ["Auth:ApiKeys:0:Scopes:0"] = "read", ["Auth:ApiKeys:0:Scopes:1"] = "submit",
            ["Auth:ApiKeys:1:Name"] = "globex", ["Auth:ApiKeys:1:Sha256"] = Convert.ToHexStringLower(
                System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(GlobexKey))),
            ["Auth:ApiKeys:1:Tenant"] = "globex", ["Auth:ApiKeys:1:Scopes:0"] = "read", ["Auth:ApiKeys:1:Scopes:1"] = "submit",
            ["Auth:ApiKeys:2:Name"] = "auditor", ["Auth:ApiKeys:2:Key"] = AuditorKey, ["Auth:ApiKeys:2:Tenant"] = "acme",
            ["Auth:ApiKeys:2:Scopes:0"] = "read",
            ["Auth:ApiKeys:3:Name"] = "admin", ["Auth:ApiKeys:3:Key"] = AdminKey, ["Auth:ApiKeys:3:Tenant"] = "acme",
            ["Auth:ApiKeys:3:Scopes:0"] = "admin",
            ["Auth:ApiKeys:4:Name"] = "cleaner", ["Auth:ApiKeys:4:Key"] = CleanerKey, ["Auth:ApiKeys:4:Tenant"] = "acme",
            ["Auth:ApiKeys:4:Scopes:0"] = "read", ["Auth:ApiKeys:4:Scopes:1"] = "delete",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            defaults[key] = value;
        }
        foreach (var (key, value) in defaults)
        {
            builder.UseSetting(key, value);
        }
        if (clock is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(clock));
        }
    }

    public PlatformClient ClientFor(string apiKey)
    {
        var http = CreateClient();
        http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return new PlatformClient(http);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestFolders.Delete(WorkDirectory);
    }
}
