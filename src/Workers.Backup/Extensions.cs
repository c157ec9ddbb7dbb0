using MassTransit;
using Platform.Infrastructure.Bus;
using Platform.Infrastructure.Data;
using Platform.Workers.Backup.Dumps;

namespace Platform.Workers.Backup;

public static class Extensions
{
    /// <summary>This process as a backup worker: dumps and retention.</summary>
    public static IHostApplicationBuilder AddBackupWorker(this IHostApplicationBuilder builder)
    {
        builder.AddBackupServices();
        builder.AddPlatformBus(x => x.AddBackupConsumers());
        return builder;
    }

    public static IHostApplicationBuilder AddBackupServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BackupOptions>().BindConfiguration(BackupOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IDatabaseDumper>(sp => sp.GetRequiredService<Db>().Provider == DbProvider.PostgreSql
            ? ActivatorUtilities.CreateInstance<PgDumpDumper>(sp)
            : ActivatorUtilities.CreateInstance<SqliteDumper>(sp));
        return builder;
    }

    public static void AddBackupConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<BackupDatabaseConsumer, BackupDatabaseConsumerDefinition>();
        bus.AddConsumer<ApplyBackupRetentionConsumer, ApplyBackupRetentionConsumerDefinition>();
    }
}
