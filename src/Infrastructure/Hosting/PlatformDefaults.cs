using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Infrastructure.Blobs;
using Platform.Infrastructure.Data;
using Platform.Infrastructure.Jobs;
using Platform.Infrastructure.Redis;
using Platform.Infrastructure.Search;

namespace Platform.Infrastructure.Hosting;

public static class PlatformDefaults
{
    /// <summary>
    /// The builder every host program starts from. Its content root is the folder of the program's own files rather
    /// than the working directory, so the appsettings.json shipped beside the binary apply however the process is
    /// started (a container, systemd, a test, a benchmark). Relative data paths still resolve against the working directory.
    /// </summary>
    public static WebApplicationBuilder CreatePlatformBuilder(string[] args) =>
        WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

    /// <summary>What every host needs: validated options, JSON logs with trace ids, metrics and traces, the database (migrated at start), blobs, job lifecycle, search, health checks.</summary>
    public static IHostApplicationBuilder AddPlatformDefaults(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });

        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BusOptions>().BindConfiguration(BusOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BlobOptions>().BindConfiguration(BlobOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.Section);
        services.AddOptions<JobOptions>().BindConfiguration(JobOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var grace = builder.Configuration.GetSection(JobOptions.Section).Get<JobOptions>()?.ShutdownGracePeriod ?? new JobOptions().ShutdownGracePeriod;
        services.Configure<HostOptions>(o => o.ShutdownTimeout = grace + TimeSpan.FromSeconds(10));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Db>();
        services.AddSingleton<SchemaMigrator>();
        // Registered before the bus, so the schema exists before the first message is consumed.
        services.AddHostedService(sp => sp.GetRequiredService<SchemaMigrator>());
        services.AddPlatformMigrateAndExit();
        services.AddSingleton<RedisConnection>();
        services.AddSingleton<JobStore>();
        services.AddSingleton<DocumentStore>();
        services.AddSingleton<ChunkStore>();
        services.AddSingleton<BackupStore>();
        services.AddSingleton<JobRunner>();
        services.AddPlatformBlobStore(builder.Configuration);
        builder.AddPlatformSearch();
        services.AddWorkerHeartbeat();

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [HealthTags.Ready])
            .AddCheck<StartupHealthCheck>("schema", tags: [HealthTags.Startup]);
        builder.AddPlatformTelemetry();
        return builder;
    }

    /// <summary>
    /// <c>/health/live</c>: the process answers. <c>/health/ready</c>: database and broker reachable (MassTransit tags its
    /// bus check "ready"). <c>/health/startup</c>: the schema is migrated.
    /// </summary>
    public static WebApplication MapPlatformHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false, ResponseWriter = HealthResponse.WriteAsync });
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains(HealthTags.Ready), ResponseWriter = HealthResponse.WriteAsync });
        app.MapHealthChecks("/health/startup", new() { Predicate = c => c.Tags.Contains(HealthTags.Startup), ResponseWriter = HealthResponse.WriteAsync });
        app.MapPlatformMetrics();
        return app;
    }
}

public static class HealthTags
{
    public const string Ready = "ready";
    public const string Startup = "startup";
}

internal sealed class DatabaseHealthCheck(Db db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await db.QuerySingleOrDefaultAsync<int>("SELECT 1", ct: ct);
            return HealthCheckResult.Healthy($"{db.Provider} reachable");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy($"{db.Provider} unreachable: {ex.Message}");
        }
    }
}

internal sealed class StartupHealthCheck(SchemaMigrator migrator) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(migrator.Completed ? HealthCheckResult.Healthy("schema migrated") : HealthCheckResult.Unhealthy("migrating"));
}
