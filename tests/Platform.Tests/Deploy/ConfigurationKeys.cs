using System.Reflection;
using System.Text.RegularExpressions;
using Platform.Blobs;
using Platform.Data;
using Platform.Jobs;

namespace Platform.Tests.Deploy;

/// <summary>
/// The configuration keys the code reads, found by reflection: every <c>*Options</c> class with a
/// <c>const string Section</c>, walked into nested objects and lists. Deployment files may set only these.
/// </summary>
public static partial class ConfigurationKeys
{
    /// <summary>Read by the .NET host itself, not by an options class.</summary>
    public static readonly IReadOnlySet<string> HostSettings = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Urls",                            // Kestrel's listen addresses
        "ASPNETCORE_URLS",
        "DOTNET_ENVIRONMENT",
        "ASPNETCORE_ENVIRONMENT",
    };

    public static IReadOnlyList<Assembly> PlatformAssemblies { get; } =
    [
        typeof(DatabaseOptions).Assembly,
        typeof(Platform.ServiceDefaults.TelemetryOptions).Assembly,
        typeof(Platform.Jobs.JobOptions).Assembly,
        typeof(Platform.Blobs.BlobOptions).Assembly,
        typeof(Platform.Redis.RedisOptions).Assembly,
        typeof(Platform.Search.SearchOptions).Assembly,
        typeof(Platform.Api.ApiOptions).Assembly,
        typeof(Platform.Workers.Ingest.IngestOptions).Assembly,
        typeof(Platform.Workers.Ai.AiOptions).Assembly,
        typeof(Platform.Workers.Backup.BackupOptions).Assembly,
    ];

    /// <summary>Patterns such as <c>Auth:ApiKeys:{n}:Sha256</c>.</summary>
    public static IReadOnlySet<string> Known { get; } = Discover();

    /// <summary>True when the key (<c>Section:Key</c> or <c>Section__Key</c>) is one the code reads.</summary>
    public static bool IsRead(string key)
    {
        if (HostSettings.Contains(key))
        {
            return true;
        }
        var normalized = Index().Replace(key.Replace("__", ":"), ":{n}");
        return Known.Contains(normalized);
    }

    /// <summary>A type of that name in the platform assemblies (for settings that land with another branch).</summary>
    public static Type? FindType(string name) =>
        PlatformAssemblies.SelectMany(a => a.GetTypes()).FirstOrDefault(t => t.Name == name);

    private static HashSet<string> Discover()
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var type in PlatformAssemblies.SelectMany(a => a.GetTypes()).Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal)))
        {
            if (type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field)
            {
                Walk(type, (string)field.GetRawConstantValue()!, keys, 0);
            }
        }
        // Chosen by BlobStoreRegistration from configuration directly, with the bucket settings in Blobs:S3.
        if (FindType("BlobStoreRegistration") is not null)
        {
            keys.Add("Blobs:Provider");
        }
        if (FindType("S3BlobOptions") is { } s3)
        {
            Walk(s3, "Blobs:S3", keys, 0);
        }
        return keys;
    }

    private static void Walk(Type type, string prefix, HashSet<string> keys, int depth)
    {
        if (depth > 5)
        {
            return;
        }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = prefix + ":" + property.Name;
            var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsScalar(t))
            {
                keys.Add(key);
            }
            else if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>))
            {
                var item = t.GetGenericArguments()[0];
                if (IsScalar(item))
                {
                    keys.Add(key + ":{n}");
                }
                else
                {
                    Walk(item, key + ":{n}", keys, depth + 1);
                }
            }
            else if (t.IsClass)
            {
                Walk(t, key, keys, depth + 1);
            }
        }
    }

    private static bool IsScalar(Type t) =>
        t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan) || t == typeof(Uri);

    [GeneratedRegex(@":\d+(?=:|$)")]
    private static partial Regex Index();
}
