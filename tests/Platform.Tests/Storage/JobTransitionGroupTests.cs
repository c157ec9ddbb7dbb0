using Platform.Data;
using Platform.Jobs;
using Platform.Tests.Support;

namespace Platform.Tests.Storage;

/// <summary>
/// Claims and successes made together, as a worker's concurrent consumers make them: on PostgreSQL they share
/// statements (group commit in <see cref="JobStore"/>), on SQLite each is its own. The outcome per job is the same.
/// </summary>
[TestFixture("Sqlite")]
[TestFixture("PostgreSql")]
[Category("Integration")]
public sealed class JobTransitionGroupTests(string provider)
{
    private TestDatabase _database = null!;
    private JobStore _jobs = null!;

    [SetUp]
    public async Task CreateStore()
    {
        _database = await TestDatabase.CreateAsync(provider);
        _jobs = new JobStore(_database.Db, TimeProvider.System);
    }

    [TearDown]
    public async Task DropStore()
    {
        await _jobs.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task Should_start_each_job_once_when_every_command_arrives_twice_at_the_same_time()
    {
        var jobs = await CreateJobsAsync(150);

        // Each job claimed twice at once (a duplicate delivery), all 300 claims together; the two claims of a job
        // are made one after the other, so they mostly share a statement.
        var claims = await Task.WhenAll(jobs.SelectMany(j => new[] { j, j }).Select(j => _jobs.TryStartAsync(j.Id)));

        var byJob = claims.GroupBy(c => c.Job!.Id).ToDictionary(g => g.Key, g => g.Select(c => c.Claim).Order().ToList());
        Assert.That(byJob.Keys, Is.EquivalentTo(jobs.Select(j => j.Id)), "every claim is answered with its own job");
        Assert.That(byJob.Values, Has.All.EqualTo(new[] { JobClaim.Started, JobClaim.Busy }), "one claim starts it, the other finds it busy");
        var rows = await _database.Db.QueryAsync<(string Status, long Attempts)>("SELECT status, attempts FROM jobs");
        Assert.That(rows, Has.All.EqualTo(("running", 1L)), "one attempt per job, none counted twice");
    }

    [Test]
    public async Task Should_apply_each_claims_own_conditions_when_claims_share_a_statement()
    {
        var lease = TimeSpan.FromMinutes(5);
        var (queued, leased, continued, cancelled) = (await CreateJobsAsync(1), await CreateJobsAsync(1), await CreateJobsAsync(1), await CreateJobsAsync(1));
        await _jobs.TryStartAsync(leased[0].Id, leaseTimeout: lease);
        await _jobs.TryStartAsync(continued[0].Id, leaseTimeout: lease);
        await _jobs.RequestCancelAsync(cancelled[0].Id, tenantId: null);

        var results = await Task.WhenAll(
            _jobs.TryStartAsync(queued[0].Id, leaseTimeout: lease),
            _jobs.TryStartAsync(leased[0].Id, leaseTimeout: lease),
            _jobs.TryStartAsync(continued[0].Id, continuation: true, leaseTimeout: lease),
            _jobs.TryStartAsync(cancelled[0].Id, leaseTimeout: lease),
            _jobs.TryStartAsync(Guid.NewGuid(), leaseTimeout: lease));

        Assert.That(results.Select(r => r.Claim),
            Is.EqualTo(new[] { JobClaim.Started, JobClaim.Busy, JobClaim.Started, JobClaim.Ended, JobClaim.Unknown }));
        Assert.That(results[0].Job!.Attempts, Is.EqualTo(1), "a fresh claim counts an attempt");
        Assert.That(results[2].Job!.Attempts, Is.EqualTo(1), "a continuation of the attempt does not");
        Assert.That(results[3].Job!.Status, Is.EqualTo(JobStatus.Cancelled), "a cancel requested before the start ends the job");
    }

    [Test]
    public async Task Should_record_each_success_with_its_own_result_when_recorded_together()
    {
        var jobs = await CreateJobsAsync(200);
        await Task.WhenAll(jobs.Select(j => _jobs.TryStartAsync(j.Id)));
        var ended = jobs[0];
        await _jobs.SucceedReturningAsync(ended.Id, null);

        var results = await Task.WhenAll(jobs.Select((j, i) => _jobs.SucceedReturningAsync(j.Id, i % 2 == 0 ? $"{{\"n\":{i}}}" : null)));

        Assert.That(results[0], Is.Null, "a job that already ended does not end again");
        for (var i = 1; i < jobs.Count; i++)
        {
            Assert.That(results[i], Is.Not.Null);
            Assert.That((results[i]!.Id, results[i]!.Status, results[i]!.Progress, results[i]!.Result),
                Is.EqualTo((jobs[i].Id, JobStatus.Succeeded, 100, i % 2 == 0 ? $"{{\"n\":{i}}}" : null)), "the row as recorded, read back");
        }
        Assert.That((await _jobs.GetAsync(ended.Id))!.Result, Is.Null, "the first success stands");
    }

    [Test]
    public async Task Should_fail_only_the_success_whose_result_the_database_refuses()
    {
        if (provider != "PostgreSql")
        {
            Assert.Ignore("SQLite stores a NUL character in text; only PostgreSQL refuses it.");
        }
        var jobs = await CreateJobsAsync(100);
        await Task.WhenAll(jobs.Select(j => _jobs.TryStartAsync(j.Id)));

        var writes = jobs.Select((j, i) => _jobs.SucceedReturningAsync(j.Id, i == 50 ? "bad\0result" : "{}")).ToList();
        var outcomes = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                return (await w)?.Status;
            }
            catch (Npgsql.PostgresException ex) when (ex.SqlState == "22021")
            {
                return "refused";
            }
        }));

        Assert.That(outcomes[50], Is.EqualTo("refused"), "the refused row's caller gets the database's error");
        Assert.That(outcomes.Where((_, i) => i != 50), Has.All.EqualTo(JobStatus.Succeeded), "the rows written with it are not failed by it");
        Assert.That((await _jobs.GetAsync(jobs[50].Id))!.Status, Is.EqualTo(JobStatus.Running), "still running: its worker decides what happens next");
    }

    private async Task<List<Job>> CreateJobsAsync(int count)
    {
        var jobs = new List<Job>();
        for (var i = 0; i < count; i++)
        {
            jobs.Add(await _jobs.CreateAsync("acme", JobTypes.Probe, null));
        }
        return jobs;
    }
}
