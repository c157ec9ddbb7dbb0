using Dapper;
using Npgsql;
using Platform.Api.Scheduling;
using Platform.Data;
using Platform.Tests.Support;

namespace Platform.Tests.Backup;

/// <summary>
/// Quartz.NET clustered on PostgreSQL, in real API processes: a nightly backup missed while everything was down
/// fires once at start-up, and two replicas starting together still fire it once.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class ClusteredScheduleTests
{
    [Test]
    public async Task Should_fire_a_missed_backup_once_when_two_replicas_start()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var work = Directory.CreateTempSubdirectory("platform-schedule-").FullName;
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["Database__Provider"] = "PostgreSql", ["Database__ConnectionString"] = database.ConnectionString,
                ["Blobs__Root"] = Path.Combine(work, "blobs"),
            };
            await using (await HostProcess.StartAsync(HostProcess.Api, environment, work))
            {
                // The first start stores the three schedules.
            }
            await using var c = new NpgsqlConnection(database.ConnectionString);
            var stored = (await c.QueryAsync<(string Name, long Next)>("SELECT trigger_name, next_fire_time FROM qrtz_triggers")).ToList();
            Assert.That(stored.Select(t => t.Name), Is.EquivalentTo(new[]
            {
                SchedulerExtensions.BackupSchedule, SchedulerExtensions.RetentionSchedule, SchedulerExtensions.VerifySchedule,
            }));

            // Everything was down over the last 02:00: the nightly backup last fired 25 hours ago and its next firing has passed.
            var now = DateTimeOffset.UtcNow;
            await c.ExecuteAsync("UPDATE qrtz_triggers SET prev_fire_time = @prev, next_fire_time = @next WHERE trigger_name = @name",
                new { prev = now.AddHours(-25).UtcTicks, next = now.AddHours(-1).UtcTicks, name = SchedulerExtensions.BackupSchedule });

            await using var first = await HostProcess.StartAsync(HostProcess.Api, environment, work);
            await using var second = await HostProcess.StartAsync(HostProcess.Api, environment, work);
            await Eventually.HoldsAsync(async () => await CountJobsAsync(c, JobTypes.Backup) > 0, "the missed backup fires", TimeSpan.FromMinutes(2));

            Assert.That(await CountJobsAsync(c, JobTypes.Backup), Is.EqualTo(1));
            var next = await c.ExecuteScalarAsync<long>("SELECT next_fire_time FROM qrtz_triggers WHERE trigger_name = @name",
                new { name = SchedulerExtensions.BackupSchedule });
            Assert.That(next, Is.GreaterThan(DateTimeOffset.UtcNow.UtcTicks), "the schedule resumed; no further catch-up firing is pending");
            Assert.That(await CountJobsAsync(c, JobTypes.BackupRetention) + await CountJobsAsync(c, JobTypes.BackupVerify), Is.Zero,
                "schedules that missed nothing do not fire");
            Assert.That(await c.ExecuteScalarAsync<long>("SELECT count(DISTINCT instance_name) FROM qrtz_scheduler_state"), Is.GreaterThanOrEqualTo(2),
                "both replicas joined one cluster");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static Task<long> CountJobsAsync(NpgsqlConnection c, string type) =>
        c.ExecuteScalarAsync<long>("SELECT count(*) FROM jobs WHERE type = @type", new { type });
}
