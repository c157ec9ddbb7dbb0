using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Platform.Data;
using Platform.Jobs;
using Platform.Tests.Support;

namespace Platform.Tests.Storage;

/// <summary>
/// The jobs table is a queue: nearly every row is finished. Once PostgreSQL's statistics say so, an index that can find
/// "the queued or running rows" looks almost free to the planner, and it took one for the claims and successes of a
/// batch of ids: a scan of every queued and running entry (dead ones included) hash-joined to the ids, 10–30 ms per
/// statement at 30,000 rows and growing with the table. Here the store's per-job calls run on such a table, and
/// PostgreSQL's own counters say which scans and indexes they used.
/// </summary>
[Category("Integration")]
public sealed class JobIndexUseTests
{
    [Test]
    public async Task Should_reach_each_job_through_its_primary_key_when_statistics_say_nothing_is_queued_or_running()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        // One connection sets the table up, so when it closes, every count it made has been reported.
        await using (var setUp = Open(database, "Maximum Pool Size=1"))
        {
            await new SchemaMigrator(setUp, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
            await setUp.ExecuteAsync(
                """
                INSERT INTO jobs (id, tenant_id, type, status, progress, created_at, updated_at, dispatched_at, started_at, finished_at)
                SELECT gen_random_uuid(), 'acme', 'probe', 'succeeded', 100, now(), now(), now(), now(), now()
                FROM generate_series(1, 20000)
                """);
            await setUp.ExecuteAsync("ANALYZE jobs");
        }
        var before = await SettledScansAsync(database, s => s.Inserted >= 20_000);

        await using (var db = Open(database))
        await using (var store = new JobStore(db, TimeProvider.System))
        {
            var jobs = new List<Job>();
            for (var i = 0; i < 64; i++)
            {
                jobs.Add(await store.CreateAsync("acme", JobTypes.Probe, null));
            }
            await store.MarkDispatchedAsync(jobs.Select(j => j.Id).ToList());
            // Concurrent, as a worker's consumers make them: claims and successes share statements.
            await Task.WhenAll(jobs.Select(j => store.TryStartAsync(j.Id)));
            await Task.WhenAll(jobs.Select(j => store.HeartbeatAsync(j.Id)));
            await Task.WhenAll(jobs.Take(48).Select(j => store.SucceedReturningAsync(j.Id, "{}")));
            await Task.WhenAll(jobs.Skip(48).Take(8).Select(j => store.FailAsync(j.Id, "corrupt_file", "broken")));
            await Task.WhenAll(jobs.Skip(56).Select(j => store.ReleaseAsync(j.Id)));
            Assert.That((await store.GetAsync(jobs[50].Id))!.Status, Is.EqualTo(JobStatus.Failed), "the calls did their work");
        } // closing its connections makes each backend report its counts
        var after = await SettledScansAsync(database, s => s.Indexes["jobs_pkey"] > before.Indexes["jobs_pkey"]);

        var otherIndexes = after.Indexes.Keys.Where(name => name != "jobs_pkey")
            .ToDictionary(name => name, name => after.Indexes[name] - before.Indexes[name]);
        Assert.That(otherIndexes, Has.All.Matches<KeyValuePair<string, long>>(i => i.Value == 0),
            "no per-job statement scans an index of many jobs");
        Assert.That(after.Sequential - before.Sequential, Is.Zero, "no per-job statement reads the whole table");
        Assert.That(after.Indexes["jobs_pkey"] - before.Indexes["jobs_pkey"], Is.GreaterThanOrEqualTo(64), "each job is found by its id");
    }

    private static Db Open(PostgresDatabase database, string extra = "") =>
        new(Options.Create(new DatabaseOptions { Provider = "PostgreSql", ConnectionString = $"{database.ConnectionString};{extra}" }));

    private sealed record Scans(long Sequential, long Inserted, Dictionary<string, long> Indexes)
    {
        public bool Same(Scans other) =>
            Sequential == other.Sequential && Inserted == other.Inserted && Indexes.Count == other.Indexes.Count
            && Indexes.All(i => other.Indexes.TryGetValue(i.Key, out var scans) && scans == i.Value);

        public override string ToString() =>
            $"seq_scan {Sequential}, n_tup_ins {Inserted}, {string.Join(", ", Indexes.Select(i => $"{i.Key} {i.Value}"))}";
    }

    /// <summary>The jobs table's scan counts once <paramref name="reported"/> holds and they stopped moving.</summary>
    private static Task<Scans> SettledScansAsync(PostgresDatabase database, Func<Scans, bool> reported) =>
        PostgresCounters.SettledAsync(() => ReadScansAsync(database), reported, (a, b) => a.Same(b));

    private static async Task<Scans> ReadScansAsync(PostgresDatabase database)
    {
        await using var connection = await PostgresCounters.OpenAsync(database);
        await using var table = new NpgsqlCommand("SELECT seq_scan, n_tup_ins FROM pg_stat_user_tables WHERE relname = 'jobs'", connection);
        long sequential, inserted;
        await using (var reader = await table.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            (sequential, inserted) = (reader.GetInt64(0), reader.GetInt64(1));
        }
        var indexes = new Dictionary<string, long>();
        await using var index = new NpgsqlCommand("SELECT indexrelname, idx_scan FROM pg_stat_user_indexes WHERE relname = 'jobs'", connection);
        await using (var reader = await index.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                indexes[reader.GetString(0)] = reader.GetInt64(1);
            }
        }
        return new Scans(sequential, inserted, indexes);
    }
}
