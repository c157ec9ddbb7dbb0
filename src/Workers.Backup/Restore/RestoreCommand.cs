using Platform.Blobs;
using Platform.Data;
using Platform.Jobs;

namespace Platform.Workers.Backup.Restore;

/// <summary>
/// <c>dotnet Platform.Workers.Backup.dll restore --backup &lt;id&gt; --target-database &lt;name&gt; [--force]</c>: reads the same
/// configuration as the worker (appsettings, <c>Section__Key</c> environment variables) and restores one backup.
/// </summary>
public static class RestoreCommand
{
    public const string Usage = "usage: restore --backup <backup id> --target-database <database name, or file for SQLite> [--force]";

    public static bool Matches(string[] args) => args.Length > 0 && args[0] == "restore";

    public static async Task<int> RunAsync(string[] args)
    {
        var (backupId, target, force) = Parse(args.Skip(1).ToArray());
        if (backupId is null || string.IsNullOrWhiteSpace(target))
        {
            Console.Error.WriteLine(Usage);
            return RestoreExit.Usage;
        }
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<Db>();
        builder.Services.AddSingleton<BackupStore>();
        builder.Services.AddPlatformBlobStore(builder.Configuration);
        builder.AddBackupServices();
        using var host = builder.Build();
        try
        {
            return await host.Services.GetRequiredService<BackupRestorer>().RestoreAsync(backupId.Value, target!, force, Console.Out, CancellationToken.None);
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"Restore failed: {ex.Message}");
            return RestoreExit.Failed;
        }
    }

    private static (Guid? BackupId, string? Target, bool Force) Parse(string[] args)
    {
        Guid? id = null;
        string? target = null;
        var force = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--backup" when i + 1 < args.Length && Guid.TryParse(args[i + 1], out var g):
                    id = g;
                    i++;
                    break;
                case "--target-database" when i + 1 < args.Length:
                    target = args[++i];
                    break;
                case "--force":
                    force = true;
                    break;
                default:
                    return (null, null, false);
            }
        }
        return (id, target, force);
    }
}
