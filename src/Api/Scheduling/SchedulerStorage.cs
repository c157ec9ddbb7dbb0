using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Microsoft.Extensions.Options;
using Platform.Data;

namespace Platform.Api.Scheduling;

/// <summary>Where Hangfire keeps recurring jobs, firings and their history; chosen by the platform's database.</summary>
public interface ISchedulerStorage
{
    JobStorage Storage { get; }
}

/// <summary>
/// Deployments: Hangfire.PostgreSql in its own schema of the platform's database, which it creates and migrates itself.
/// Every replica reads it (the dashboard); the servers among them take a distributed lock per recurring-job pass, so
/// several of them fire each occurrence once.
/// </summary>
public sealed class PostgreSqlSchedulerStorage(IOptions<DatabaseOptions> database, IOptions<SchedulerOptions> options) : ISchedulerStorage
{
    private readonly Lazy<JobStorage> _storage = new(() => new PostgreSqlStorage(
        new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(database.Value.ConnectionString, Options(options.Value)),
        Options(options.Value)));

    public JobStorage Storage => _storage.Value;

    private static PostgreSqlStorageOptions Options(SchedulerOptions o) => new()
    {
        SchemaName = o.Schema,
        PrepareSchemaIfNecessary = true,
        QueuePollInterval = o.PollInterval,
    };
}

/// <summary>Single-process mode (SQLite): Hangfire.InMemory; the recurring jobs are registered again at every start.</summary>
public sealed class InMemorySchedulerStorage : ISchedulerStorage
{
    public JobStorage Storage { get; } = new InMemoryStorage();
}
