using MassTransit;
using Platform.Data;
using Platform.Jobs;
using Platform.Workers.Backup.Dumps;
using Platform.Workers.Backup.Restore;
using Platform.Workers.Backup.Verification;

namespace Platform.Workers.Backup;

public static class Extensions
{
    /// <summary>This process as a backup worker: dumps, verification and retention.</summary>
    public static IHostApplicationBuilder AddBackupWorker(this IHostApplicationBuilder builder)
    {
        builder.AddBackupServices();
        builder.AddPlatformBus(x => x.AddBackupConsumers());
        return builder;
    }

    public static IHostApplicationBuilder AddBackupServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BackupOptions>().BindConfiguration(BackupOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Retention.IsValid, "Backup:Retention needs a count rule or MaxAgeDays, and no negative numbers.")
            .Validate(o => !o.Offsite.Enabled || o.Offsite.Retention.IsValid, "Backup:Offsite:Retention needs a count rule or MaxAgeDays.")
            .Validate(o => o.Offsite.Provider is "" or "Local" or "S3", "Backup:Offsite:Provider must be empty, Local or S3.")
            .Validate(o => IsValidKey(o.EncryptionKey), "Backup:EncryptionKey must be base64 of exactly 32 bytes.")
            .ValidateOnStart();
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<BackupMetrics>();
        builder.Services.AddSingleton<IBackupMetrics>(sp => sp.GetRequiredService<BackupMetrics>());
        builder.Services.AddHostedService<BackupMetricsSeeder>();
        builder.Services.AddSingleton<BackupLock>();
        builder.Services.AddSingleton<BackupBlobWriter>();
        builder.Services.AddSingleton<OffsiteStore>();
        builder.Services.AddSingleton<BackupVerifier>();
        builder.Services.AddSingleton<BackupRestorer>();
        builder.Services.AddForProvider<IDatabaseDumper, PgDumpDumper, SqliteDumper>();
        return builder;
    }

    public static void AddBackupConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<BackupDatabaseConsumer, BackupDatabaseConsumerDefinition>();
        bus.AddConsumer<ApplyBackupRetentionConsumer, ApplyBackupRetentionConsumerDefinition>();
        bus.AddConsumer<VerifyBackupConsumer, VerifyBackupConsumerDefinition>();
    }

    private static bool IsValidKey(string key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return true;
        }
        var buffer = new byte[64];
        return Convert.TryFromBase64String(key, buffer, out var n) && n == 32;
    }
}
