using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Platform.ServiceDefaults;

namespace Platform.Data;

public static class DataExtensions
{
    /// <summary>
    /// The database (migrated at start; <c>Hosting:MigrateAndExit</c> stops there) and its stores. Call it before the
    /// bus is added, so the schema exists before the first message is consumed.
    /// </summary>
    public static IHostApplicationBuilder AddPlatformData(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Db>();
        services.AddSingleton<SchemaMigrator>();
        services.AddHostedService(sp => sp.GetRequiredService<SchemaMigrator>());
        services.AddPlatformMigrateAndExit();
        services.AddSingleton<JobStore>();
        services.AddSingleton<DocumentStore>();
        services.AddSingleton<ChunkStore>();
        services.AddSingleton<BackupStore>();
        services.AddHealthChecks()
            .Add(new HealthCheckRegistration("database", sp => DatabaseHealthCheck.For(sp.GetRequiredService<Db>()), HealthStatus.Unhealthy, [HealthTags.Ready]))
            .AddCheck<StartupHealthCheck>("schema", tags: [HealthTags.Startup]);
        return builder;
    }

    /// <summary>
    /// Registers the PostgreSQL or the SQLite sibling of an adapter, whichever the configured database is (the backup
    /// worker's dumper, for one), so hosts choose by provider without branching on it themselves.
    /// </summary>
    public static IServiceCollection AddForProvider<TService, TPostgreSql, TSqlite>(this IServiceCollection services)
        where TService : class where TPostgreSql : class, TService where TSqlite : class, TService =>
        services.AddSingleton<TService>(sp => sp.GetRequiredService<Db>().Provider == DbProvider.PostgreSql
            ? ActivatorUtilities.CreateInstance<TPostgreSql>(sp)
            : ActivatorUtilities.CreateInstance<TSqlite>(sp));
}

internal sealed class StartupHealthCheck(SchemaMigrator migrator) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(migrator.Completed ? HealthCheckResult.Healthy("schema migrated") : HealthCheckResult.Unhealthy("migrating"));
}
