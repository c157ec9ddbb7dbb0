using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Api.Dashboard;
using Platform.Data;
using Platform.Jobs;
using Platform.Tests.Support;

namespace Platform.Tests.Dashboard;

/// <summary>What the dashboard adds to the stores (retry, delete, heartbeats, counts), the same on SQLite and PostgreSQL.</summary>
[TestFixture("Sqlite")]
[TestFixture("PostgreSql")]
[Category("Integration")]
public sealed class DashboardStoreContractTests(string provider)
{
    private TestDatabase _database = null!;
    private Db _db = null!;
    private JobStore _jobs = null!;
    private DashboardStore _dashboard = null!;

    [SetUp]
    public async Task CreateStore()
    {
        _database = await TestDatabase.CreateAsync(provider);
        _db = _database.Db;
        _jobs = new JobStore(_db, TimeProvider.System);
        _dashboard = new DashboardStore(_db, TimeProvider.System);
    }

    [TearDown]
    public async Task DropStore()
    {
        await _database.DisposeAsync();
    }

    private async Task<Job> FailedJobAsync(string type = JobTypes.Backup)
    {
        var job = await _jobs.CreateAsync(SystemTenant.Id, type, null);
        await _jobs.MarkDispatchedAsync(job.Id);
        await _jobs.TryStartAsync(job.Id);
        await _jobs.FailAsync(job.Id, ReasonCodes.BackupFailed, "disk full");
        return job;
    }

    [Test]
    public async Task Should_requeue_a_failed_job_keeping_its_attempts_and_clearing_its_error()
    {
        var job = await FailedJobAsync();

        Assert.That(await _jobs.RequeueAsync(job.Id), Is.True);

        var requeued = (await _jobs.GetAsync(job.Id))!;
        Assert.That((requeued.Status, requeued.Attempts, requeued.ErrorCode, requeued.ErrorMessage, requeued.FinishedAt, requeued.DispatchedAt),
            Is.EqualTo((JobStatus.Queued, 1, (string?)null, (string?)null, (DateTimeOffset?)null, (DateTimeOffset?)null)));
        Assert.That((await _jobs.TryStartAsync(job.Id)).Job!.Attempts, Is.EqualTo(2));
    }

    [Test]
    public async Task Should_not_requeue_or_delete_a_job_that_has_not_ended_badly()
    {
        var running = await _jobs.CreateAsync(SystemTenant.Id, JobTypes.Backup, null);
        await _jobs.TryStartAsync(running.Id);
        var succeeded = await _jobs.CreateAsync(SystemTenant.Id, JobTypes.Backup, null);
        await _jobs.SucceedAsync(succeeded.Id, null);

        Assert.That(await _jobs.RequeueAsync(running.Id), Is.False);
        Assert.That(await _jobs.RequeueAsync(succeeded.Id), Is.False);
        Assert.That(await _jobs.DeleteAsync(running.Id), Is.False);
        Assert.That(await _jobs.GetAsync(running.Id), Is.Not.Null);
        Assert.That(await _jobs.DeleteAsync(succeeded.Id), Is.True);
        Assert.That(await _jobs.GetAsync(succeeded.Id), Is.Null);
    }

    [Test]
    public async Task Should_count_jobs_by_state_and_type_and_finished_jobs_in_the_current_minute()
    {
        await FailedJobAsync();
        var ok = await _jobs.CreateAsync("t1", JobTypes.Ingest, null);
        await _jobs.SucceedAsync(ok.Id, null);
        await _jobs.CreateAsync("t2", JobTypes.Ingest, null);

        var overview = await _dashboard.OverviewAsync(CancellationToken.None);

        Assert.That(overview.ByState[JobStatus.Failed], Is.EqualTo(1));
        Assert.That(overview.ByState[JobStatus.Succeeded], Is.EqualTo(1));
        Assert.That(overview.ByType[JobTypes.Ingest][JobStatus.Queued], Is.EqualTo(1));
        Assert.That(overview.LastHour.Succeeded.Sum() + overview.LastHour.Failed.Sum(), Is.EqualTo(2));
        // Finished just now, so counted in the last minute (unless the minute turned in between: then the one before).
        Assert.That(overview.LastHour.Succeeded[^1] + overview.LastHour.Succeeded[^2], Is.EqualTo(1));
        Assert.That(overview.Last24Hours.FailureRate, Is.EqualTo(0.5));
    }

    [Test]
    public async Task Should_filter_jobs_by_state_type_tenant_and_time()
    {
        await FailedJobAsync();
        var ingest = await _jobs.CreateAsync("t1", JobTypes.Ingest, null);

        var byTenant = await _dashboard.ListJobsAsync(new JobFilter(null, null, "t1", null, null, 50, 0), CancellationToken.None);
        var failed = await _dashboard.ListJobsAsync(new JobFilter(JobStatus.Failed, JobTypes.Backup, null, null, null, 50, 0), CancellationToken.None);
        var later = await _dashboard.ListJobsAsync(new JobFilter(null, null, null, ingest.CreatedAt.AddSeconds(1), null, 50, 0), CancellationToken.None);
        var earlier = await _dashboard.ListJobsAsync(new JobFilter(null, null, null, null, ingest.CreatedAt.AddSeconds(1), 50, 0), CancellationToken.None);

        Assert.That(byTenant.Items.Select(j => j.Id), Is.EqualTo(new[] { ingest.Id }));
        Assert.That(failed.Total, Is.EqualTo(1));
        Assert.That(later.Total, Is.Zero);
        Assert.That(earlier.Total, Is.EqualTo(2));
    }

    [Test]
    public async Task Should_name_the_document_file_on_an_ingest_job_row()
    {
        var document = await new DocumentStore(_db, TimeProvider.System).CreateAsync(new Document
        {
            Id = Guid.CreateVersion7(), TenantId = "t1", FileName = "harbour-rules.pdf", ContentType = "application/pdf",
            SizeBytes = 1, Sha256 = "00", BlobKey = "uploads/t1/harbour-rules.pdf",
        });
        var ingest = await _jobs.CreateAsync("t1", JobTypes.Ingest, null, document.Id);
        var backup = await _jobs.CreateAsync("t1", JobTypes.Backup, null);

        var page = await _dashboard.ListJobsAsync(new JobFilter(null, null, "t1", null, null, 50, 0), CancellationToken.None);

        Assert.That(page.Items.Single(j => j.Id == ingest.Id).FileName, Is.EqualTo("harbour-rules.pdf"));
        Assert.That(page.Items.Single(j => j.Id == backup.Id).FileName, Is.Null);
    }

    [Test]
    public async Task Should_record_a_heartbeat_and_show_the_process_alive_then_stopped()
    {
        var heartbeat = new WorkerHeartbeat(_db, new WorkerActivity(), TimeProvider.System, NullLogger<WorkerHeartbeat>.Instance);

        await heartbeat.BeatAsync();
        await heartbeat.BeatAsync(); // the same row, refreshed

        var alive = (await _dashboard.WorkersAsync(CancellationToken.None)).Single();
        Assert.That((alive.Id, alive.Pid, alive.State), Is.EqualTo((heartbeat.Id, Environment.ProcessId, "alive")));
        await heartbeat.StopAsync(CancellationToken.None);
        Assert.That((await _dashboard.WorkersAsync(CancellationToken.None)).Single().State, Is.EqualTo("stopped"));
    }
}
