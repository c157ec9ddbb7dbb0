using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Jobs;
using Platform.Tests.Support;

namespace Platform.Tests.Storage;

/// <summary>
/// The API records the sends of a batch of jobs in one statement while a worker, which may already have the commands,
/// claims and finishes the same jobs in batches of its own. Two statements that lock the same rows in different
/// orders and wait for each other deadlock: PostgreSQL waits a second (deadlock_timeout), then aborts one. It happened
/// under load (22 times in a morning of benchmarks); here the three kinds of statement run over the same jobs at once,
/// and PostgreSQL's deadlock counter must not move (a deadlock's victim is retried, so the calls alone would not tell).
/// </summary>
[Category("Integration")]
public sealed class JobDeadlockTests
{
    [Test]
    public async Task Should_not_deadlock_when_send_records_claims_and_successes_of_the_same_jobs_run_at_once()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var options = Options.Create(new DatabaseOptions { Provider = "PostgreSql", ConnectionString = database.ConnectionString });
        await using (var setUp = new Db(options))
        {
            await new SchemaMigrator(setUp, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        }
        var before = await SettledAsync(database, _ => true);
        const int rounds = 16, perRound = 256;

        await using (var db = new Db(options))
        await using (var jobs = new JobStore(db, TimeProvider.System))
        {
            var random = new Random(8);
            for (var round = 0; round < rounds; round++)
            {
                var created = await Task.WhenAll(Enumerable.Range(0, perRound).Select(_ => jobs.CreateAsync("acme", JobTypes.Probe, null)));
                var ids = created.Select(j => j.Id).ToArray();
                // Each side in its own order, as the dispatcher's batches and the worker's deliveries come.
                var sendOrder = ids.OrderBy(_ => random.Next()).ToList();
                var claimOrder = ids.OrderBy(_ => random.Next()).ToList();
                // As the dispatcher records them: batches in flight at once.
                var sends = Task.WhenAll(sendOrder.Chunk(perRound / 4).Select(chunk => Task.Run(() => jobs.MarkDispatchedAsync(chunk))));
                var claims = Task.WhenAll(claimOrder.Select(id => jobs.TryStartAsync(id)));
                await Task.WhenAll(sends, claims);
                Assert.That((await claims).Select(c => c.Claim), Has.All.EqualTo(JobClaim.Started));

                var successes = Task.WhenAll(claimOrder.AsEnumerable().Reverse().Select(id => jobs.SucceedReturningAsync(id, "{}")));
                var sendsAgain = Task.Run(() => jobs.MarkDispatchedAsync(sendOrder)); // a sweeper's late record of the same sends
                await Task.WhenAll(successes, sendsAgain);
                Assert.That(await successes, Has.All.Not.Null);
            }
            Assert.That(await db.QuerySingleOrDefaultAsync<long>("SELECT count(*) FROM jobs WHERE dispatched_at IS NULL"), Is.Zero,
                "every send is recorded: by its record, or by the claim that was changing the job at that moment");
        } // closing its connections makes each backend report its counts

        // Every job was claimed and succeeded; its send record is its own update or part of the claim.
        var after = await SettledAsync(database, c => c.Updates - before.Updates >= 2 * rounds * perRound);
        Assert.That(after.Deadlocks - before.Deadlocks, Is.Zero, "a send record never waits for a job another statement is changing");
    }

    private sealed record Counts(long Updates, long Deadlocks);

    private static Task<Counts> SettledAsync(PostgresDatabase database, Func<Counts, bool> reported) =>
        PostgresCounters.SettledAsync(async () =>
        {
            await using var connection = await PostgresCounters.OpenAsync(database);
            await using var command = new Npgsql.NpgsqlCommand(
                """
                SELECT (SELECT coalesce(max(n_tup_upd), 0) FROM pg_stat_user_tables WHERE relname = 'jobs'),
                       (SELECT deadlocks FROM pg_stat_database WHERE datname = current_database())
                """, connection);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            return new Counts(reader.GetInt64(0), reader.GetInt64(1));
        }, reported, (a, b) => a == b);
}
