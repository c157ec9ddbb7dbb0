using Hangfire;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage;
using Platform.Api.Scheduling;
using Platform.Data;
using Platform.Tests.Support;

namespace Platform.Tests.Backup;

/// <summary>
/// Hangfire on PostgreSQL in the deployed shape: two API replicas that both run the Hangfire server, a backup worker,
/// one database and one broker. Each recurring job fires once per occurrence, and what it submits is a platform job
/// that the backup worker runs to success; the submitted job id is in Hangfire's history.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class HangfireScheduleTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2); // upper bound for polling, not a timing under test

    private static readonly Dictionary<string, string> Server = new()
    {
        ["Scheduler__Enabled"] = "true", ["Scheduler__PollInterval"] = "00:00:01", ["Bus__RetryInitialDelay"] = "00:00:00.200",
    };

    [Test]
    public async Task Should_fire_each_recurring_job_once_across_two_replicas_and_run_the_job_it_submits()
    {
        await using var environment = await DistributedEnvironment.CreateAsync("hangfire-replicas");
        await using var first = await environment.StartAsync(HostProcess.Api, Server);
        await using var second = await environment.StartAsync(HostProcess.Api, Server);
        await using var worker = await environment.StartAsync(HostProcess.Backup);
        var storage = Storage(environment);
        using (var connection = storage.GetConnection())
        {
            Assert.That(connection.GetRecurringJobs().Select(j => (j.Id, j.Cron)), Is.EquivalentTo(new[]
            {
                (MaintenanceJobs.Backup, "0 2 * * *"), (MaintenanceJobs.Retention, "30 2 * * *"), (MaintenanceJobs.Verify, "0 4 * * 0"),
            }));
        }
        var manager = new RecurringJobManager(storage);

        // Backup first: verification restores the newest backup, retention looks at what exists.
        foreach (var (schedule, type) in new[]
        {
            (MaintenanceJobs.Backup, JobTypes.Backup), (MaintenanceJobs.Retention, JobTypes.BackupRetention), (MaintenanceJobs.Verify, JobTypes.BackupVerify),
        })
        {
            manager.Trigger(schedule);

            await Eventually.HoldsAsync(async () => await environment.Database.ScalarAsync(
                $"SELECT count(*) FROM jobs WHERE type = '{type}' AND status = 'succeeded'") == 1, $"the {type} job {schedule} submitted succeeds", Patience);
            var id = await SucceededFiringResultAsync(storage, schedule);
            Assert.That(id, Does.Contain(await environment.Database.TextAsync($"SELECT id::text FROM jobs WHERE type = '{type}'")),
                "the firing's history names the platform job it submitted");
            Assert.That(await environment.Database.ScalarAsync($"SELECT count(*) FROM jobs WHERE type = '{type}'"), Is.EqualTo(1),
                $"{schedule} fired once, though two servers share the queue");
        }
        using (var connection = storage.GetConnection())
        {
            Assert.That(connection.GetRecurringJobs().Select(j => j.LastJobState), Is.All.EqualTo("Succeeded"));
        }
        Assert.That(storage.GetMonitoringApi().Servers().Count, Is.EqualTo(2), "both replicas run a Hangfire server");
    }

    [Test]
    public async Task Should_fire_a_missed_backup_once_when_two_replicas_start()
    {
        await using var environment = await DistributedEnvironment.CreateAsync("hangfire-missed");
        await using (await environment.StartAsync(HostProcess.Api, Server))
        {
            // The first start registers the three recurring jobs.
        }
        var storage = Storage(environment);
        // Everything was down over the last 02:00: the nightly backup, registered 25 hours ago, never fired, and its next
        // occurrence has passed. Hangfire counts occurrences from the last firing (or the registration) up to now.
        var missed = DateTime.UtcNow.AddHours(-1);
        using (var connection = storage.GetConnection())
        using (var transaction = connection.CreateWriteTransaction())
        {
            transaction.SetRangeInHash($"recurring-job:{MaintenanceJobs.Backup}",
            [
                new("CreatedAt", Milliseconds(DateTime.UtcNow.AddHours(-25))), new("NextExecution", Milliseconds(missed)),
            ]);
            transaction.AddToSet("recurring-jobs", MaintenanceJobs.Backup, JobHelper.ToTimestamp(missed));
            transaction.Commit();
        }

        await using var first = await environment.StartAsync(HostProcess.Api, Server);
        await using var second = await environment.StartAsync(HostProcess.Api, Server);
        await Eventually.HoldsAsync(async () => await environment.Database.ScalarAsync($"SELECT count(*) FROM jobs WHERE type = '{JobTypes.Backup}'") > 0,
            "the missed backup fires", Patience);
        await Eventually.HoldsAsync(() => Task.FromResult(NextExecution(storage, MaintenanceJobs.Backup) > DateTime.UtcNow),
            "the schedule resumes", Patience);

        Assert.That(await environment.Database.ScalarAsync($"SELECT count(*) FROM jobs WHERE type = '{JobTypes.Backup}'"), Is.EqualTo(1));
        Assert.That(await environment.Database.ScalarAsync($"SELECT count(*) FROM jobs WHERE type <> '{JobTypes.Backup}'"), Is.Zero,
            "schedules that missed nothing do not fire");
    }

    private static PostgreSqlStorage Storage(DistributedEnvironment environment)
    {
        // Hangfire's log provider is static: an in-process API of another test may have set one whose factory is disposed.
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(new Silent());
        var options = new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = false };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(environment.Database.ConnectionString, options), options);
    }

    private static string Milliseconds(DateTime utc) => new DateTimeOffset(utc).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static DateTime? NextExecution(JobStorage storage, string id)
    {
        using var connection = storage.GetConnection();
        return connection.GetRecurringJobs([id]).Single().NextExecution;
    }

    /// <summary>The Result Hangfire recorded for the succeeded firing of the recurring job.</summary>
    private static async Task<string> SucceededFiringResultAsync(JobStorage storage, string schedule)
    {
        string? result = null;
        await Eventually.HoldsAsync(() =>
        {
            using var connection = storage.GetConnection();
            var last = connection.GetRecurringJobs([schedule]).Single().LastJobId;
            var succeeded = storage.GetMonitoringApi().SucceededJobs(0, 100).FirstOrDefault(j => j.Key == last).Value;
            result = succeeded?.Result?.ToString();
            return Task.FromResult(result is not null);
        }, $"the firing of {schedule} succeeded in Hangfire", Patience);
        return result!;
    }

    private sealed class Silent : Hangfire.Logging.ILogProvider, Hangfire.Logging.ILog
    {
        public Hangfire.Logging.ILog GetLogger(string name) => this;

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
