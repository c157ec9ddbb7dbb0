using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Platform.Data;
using Platform.Tests.Support;

namespace Platform.Tests.Storage;

/// <summary>
/// Hangfire replaced Quartz.NET: an install whose schema is at step 11 still holds the Quartz job store (qrtz_* tables,
/// step 3) and the schedule outcomes (step 11). The next start's migration drops them and keeps everything else.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class OldSchedulerTablesTests
{
    [Test]
    public async Task Should_drop_the_Quartz_tables_and_schedule_outcomes_of_an_existing_install()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using (var c = new NpgsqlConnection(database.ConnectionString))
        {
            // The install as the previous release left it: steps 1-11, a stored trigger and an outcome, one job.
            await c.ExecuteAsync("CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)");
            foreach (var step in SchemaMigrations.All.Where(s => s.Version <= 11).OrderBy(s => s.Version))
            {
                await c.ExecuteAsync(step.PostgreSql);
                await c.ExecuteAsync("INSERT INTO schema_migrations VALUES (@v, now())", new { v = step.Version });
            }
            await c.ExecuteAsync("INSERT INTO qrtz_job_details (sched_name, job_name, job_group, job_class_name, is_durable, is_nonconcurrent, is_update_data, requests_recovery) VALUES ('s', 'nightly-backup', 'DEFAULT', 'x', true, true, false, false)");
            await c.ExecuteAsync("INSERT INTO schedule_outcomes VALUES ('DEFAULT', 'nightly-backup', now(), 'succeeded', null, 1)");
            await c.ExecuteAsync("INSERT INTO jobs (id, tenant_id, type, status, created_at, updated_at) VALUES (gen_random_uuid(), 'system', 'backup', 'succeeded', now(), now())");
            var before = await TablesAsync(c);
            Assert.That(before, Has.Some.StartsWith("qrtz_"), "the Quartz tables exist before");
            Assert.That(before, Does.Contain("schedule_outcomes"));
        }

        await using var db = new Db(Options.Create(new DatabaseOptions { Provider = "PostgreSql", ConnectionString = database.ConnectionString }));
        await new SchemaMigrator(db, NullLogger<SchemaMigrator>.Instance).MigrateAsync();

        await using var after = new NpgsqlConnection(database.ConnectionString);
        var tables = await TablesAsync(after);
        Assert.That(tables.Where(t => t.StartsWith("qrtz_", StringComparison.Ordinal) || t == "schedule_outcomes"), Is.Empty);
        Assert.That(tables, Does.Contain("jobs").And.Contain("backups").And.Contain("data_protection_keys"));
        Assert.That(await database.ScalarAsync("SELECT count(*) FROM jobs"), Is.EqualTo(1), "the platform's data stays");
    }

    private static async Task<List<string>> TablesAsync(NpgsqlConnection c) =>
        (await c.QueryAsync<string>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")).ToList();
}
