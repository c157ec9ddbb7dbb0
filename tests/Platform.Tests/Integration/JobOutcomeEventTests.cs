using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Jobs;
using Platform.Messages;

namespace Platform.Tests.Integration;

/// <summary>
/// Every way a job ends is published for integrations, with the job's correlation id echoed: JobRunner on
/// MassTransit's in-memory test harness, job state in a SQLite file.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class JobOutcomeEventTests
{
    private string _folder = null!;
    private Db _db = null!;
    private JobStore _jobs = null!;
    private ServiceProvider _provider = null!;
    private ITestHarness _harness = null!;

    [SetUp]
    public async Task StartHarness()
    {
        _folder = Directory.CreateTempSubdirectory("platform-outcomes-").FullName;
        _db = new Db(Options.Create(new DatabaseOptions { Provider = "Sqlite", ConnectionString = $"Data Source={Path.Combine(_folder, "p.db")}" }));
        await new SchemaMigrator(_db, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        _jobs = new JobStore(_db, TimeProvider.System);
        _provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton(_jobs)
            .AddSingleton(Options.Create(new BusOptions()))
            .AddSingleton<JobRunner>()
            .AddMassTransitTestHarness(x =>
            {
                x.AddConsumer<ProbeConsumer>();
                // A cancel is noticed on the next heartbeat; the harness must not call the bus idle before that.
                x.SetTestTimeouts(testTimeout: TimeSpan.FromSeconds(60), testInactivityTimeout: TimeSpan.FromSeconds(10));
            })
            .BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
    }

    [TearDown]
    public async Task StopHarness()
    {
        await _harness.Stop();
        await _provider.DisposeAsync();
        await _db.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestFolders.Delete(_folder);
    }

    private async Task<Job> RunAsync(string mode, bool cancelFirst = false)
    {
        var job = await _jobs.CreateAsync("acme", JobTypes.Ingest, null, correlationId: Guid.NewGuid());
        if (cancelFirst)
        {
            await _jobs.RequestCancelAsync(job.Id, "acme");
        }
        await _harness.Bus.Publish(new RunProbe(job.Id, mode));
        return job;
    }

    [Test]
    public async Task Should_publish_progress_then_succeeded_with_the_correlation_id_echoed()
    {
        var job = await RunAsync("succeed");

        Assert.That(await _harness.Published.Any<JobProgressed>(m => m.Context.Message.JobId == job.Id
            && m.Context.Message.Percent == 40 && m.Context.Message.CorrelationId == job.CorrelationId), Is.True);
        Assert.That(await _harness.Published.Any<JobSucceeded>(m => m.Context.Message.JobId == job.Id
            && m.Context.Message.CorrelationId == job.CorrelationId && m.Context.Message.TenantId == "acme"
            && m.Context.Message.JobType == JobTypes.Ingest), Is.True);
    }

    [Test]
    public async Task Should_not_publish_succeeded_for_a_step_that_leaves_the_job_running()
    {
        var job = await RunAsync("step");

        Assert.That(await _harness.Consumed.Any<RunProbe>(m => m.Context.Message.JobId == job.Id), Is.True);
        Assert.That(await _harness.Published.Any<JobSucceeded>(m => m.Context.Message.JobId == job.Id), Is.False);
    }

    [Test]
    public async Task Should_publish_cancelled_for_a_job_cancelled_before_it_started()
    {
        var job = await RunAsync("succeed", cancelFirst: true);

        Assert.That(await _harness.Published.Any<JobCancelled>(m => m.Context.Message.JobId == job.Id
            && m.Context.Message.CorrelationId == job.CorrelationId), Is.True);
        Assert.That(await _harness.Published.Any<JobSucceeded>(m => m.Context.Message.JobId == job.Id), Is.False);
    }

    [Test]
    public async Task Should_publish_cancelled_for_a_job_cancelled_while_it_runs()
    {
        var job = await RunAsync("wait-for-cancel");
        Assert.That(await _harness.Published.Any<JobProgressed>(m => m.Context.Message.JobId == job.Id), Is.True, "the job is running");

        await _jobs.RequestCancelAsync(job.Id, "acme");

        Assert.That(await _harness.Published.Any<JobCancelled>(m => m.Context.Message.JobId == job.Id
            && m.Context.Message.CorrelationId == job.CorrelationId), Is.True);
        Assert.That((await _jobs.GetAsync(job.Id))!.Status, Is.EqualTo(JobStatus.Cancelled));
    }

    [Test]
    public async Task Should_publish_the_recorded_outcome_again_when_a_command_for_an_ended_job_is_redelivered()
    {
        var job = await RunAsync("succeed");
        Assert.That(await _harness.Published.Any<JobSucceeded>(m => m.Context.Message.JobId == job.Id), Is.True);

        await _harness.Bus.Publish(new RunProbe(job.Id, "fail")); // a redelivery: the job has ended, the work does not run

        Assert.That(_harness.Consumed.Select<RunProbe>(m => m.Context.Message.JobId == job.Id).Count(), Is.EqualTo(2));
        Assert.That(_harness.Published.Select<JobSucceeded>(m => m.Context.Message.JobId == job.Id).Count(), Is.EqualTo(2));
        Assert.That(await _harness.Published.Any<JobFailed>(m => m.Context.Message.JobId == job.Id), Is.False);
        Assert.That((await _jobs.GetAsync(job.Id))!.Status, Is.EqualTo(JobStatus.Succeeded));
    }

    [Test]
    public async Task Should_publish_failed_with_the_reason_and_the_correlation_id()
    {
        var job = await RunAsync("fail");

        Assert.That(await _harness.Published.Any<JobFailed>(m => m.Context.Message.JobId == job.Id
            && m.Context.Message.ReasonCode == ReasonCodes.CorruptFile && m.Context.Message.CorrelationId == job.CorrelationId), Is.True);
    }
}

public sealed record RunProbe(Guid JobId, string Mode);

public sealed class ProbeConsumer(JobRunner runner, JobStore jobs) : IConsumer<RunProbe>
{
    public Task Consume(ConsumeContext<RunProbe> context) =>
        runner.RunAsync(context, context.Message.JobId, async job =>
        {
            await job.ReportProgressAsync(40);
            switch (context.Message.Mode)
            {
                case "succeed":
                    await jobs.SucceedAsync(job.Job.Id, null, job.CancellationToken);
                    break;
                case "fail":
                    throw new JobFailureException(ReasonCodes.CorruptFile, "The probe is corrupt.");
                case "wait-for-cancel":
                    await Task.Delay(Timeout.Infinite, job.CancellationToken);
                    break;
            }
        });
}
