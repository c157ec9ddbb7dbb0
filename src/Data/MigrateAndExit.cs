using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Platform.Data;

/// <summary>
/// With <c>Hosting:MigrateAndExit=true</c> the host stops once the schema is migrated and exits 0 (non-zero when the
/// migration fails, because the host then fails to start). Registered right after the migrator, before the bus.
/// The Helm chart's migrations hook Job runs the API image this way.
/// </summary>
internal sealed class MigrateAndExit(IOptions<HostingOptions> options, IHostApplicationLifetime lifetime, ILogger<MigrateAndExit> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateAndExit)
        {
            // Stopping while other services still start would fail the start (exit 1); stop once started instead.
            lifetime.ApplicationStarted.Register(() =>
            {
                logger.LogInformation("Schema migrated; exiting as Hosting:MigrateAndExit asks");
                lifetime.StopApplication();
            });
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class MigrateAndExitExtensions
{
    public static IServiceCollection AddPlatformMigrateAndExit(this IServiceCollection services)
    {
        services.AddOptions<HostingOptions>().BindConfiguration(HostingOptions.Section);
        return services.AddHostedService<MigrateAndExit>();
    }
}

/// <summary>Section <c>Hosting</c>: how a host process runs.</summary>
public sealed class HostingOptions
{
    public const string Section = "Hosting";

    /// <summary>Migrate the schema, then exit 0 (the Helm migrations hook runs the API image with this). Default false.</summary>
    public bool MigrateAndExit { get; set; }
}
