using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Jobs;
using Platform.Messages;
using Platform.Tests.Support;

namespace Platform.Tests.Reliability;

/// <summary>
/// A tenant's in-flight limit while sends wait to be recorded (<see cref="JobTimings.RecordDelay"/>), on PostgreSQL and
/// a real (in-memory) MassTransit bus, with the clock moved by hand: jobs that ended before their send was recorded do
/// not hold the tenant's next jobs, and jobs sent but still queued do.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class JobInFlightCountTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30); // upper bound for polling, not a timing under test

    [Test]
    public async Task Should_not_hold_a_tenants_jobs_for_ended_ones_whose_sends_are_not_recorded_yet()
    {
        await using var run = await Harness.StartAsync(limit: 2);

        var first = await run.DispatchAsync(2, expectSent: true);
        await run.EndAsync(first);
        run.Clock.Advance(run.Interval); // the count is read again; the first sends are still unrecorded

        var second = await run.DispatchAsync(2, expectSent: true);
        Assert.That(second.Select(j => j.Id), Is.SubsetOf(run.Sent), "two ended jobs leave the tenant two in flight of two");
        run.Clock.Advance(run.Interval);

        var third = await run.DispatchAsync(1, expectSent: false);
        Assert.That(run.Sent, Does.Not.Contain(third[0].Id), "the second two are sent and queued: the tenant is at its limit");
        Assert.That((await run.Jobs.GetAsync(third[0].Id))!.DispatchedAt, Is.Null, "held, so left unsent for the sweeper");
    }

    [Test]
    public async Task Should_read_the_count_again_when_its_estimate_would_hold_a_later_batch_of_the_same_interval()
    {
        await using var run = await Harness.StartAsync(limit: 3);

        await run.EndAsync(await run.DispatchAsync(2, expectSent: true));
        run.Clock.Advance(run.Interval);
        await run.DispatchAsync(1, expectSent: true); // read: none recorded in flight + two unrecorded (ended) + this one = 3

        var later = await run.DispatchAsync(1, expectSent: true); // not re-read by time: the estimate (4 > 3) would hold it
        Assert.That(run.Sent, Does.Contain(later[0].Id), "one queued job of three allowed: sent");
    }

    /// <summary>A dispatcher on PostgreSQL and an in-memory bus that notes what reached the probe queue.</summary>
    private sealed class Harness : IAsyncDisposable
    {
        private TestDatabase _database = null!;
        private IBusControl _bus = null!;
        private JobDispatcher _dispatcher = null!;

        public ManualClock Clock { get; } = new(DateTimeOffset.UtcNow, manualTimers: true);

        public JobStore Jobs { get; private set; } = null!;

        public ConcurrentBag<Guid> Sent { get; } = [];

        public TimeSpan Interval => JobTimings.RecordDelay / 4; // the count's re-read; four fit in one record delay

        public static async Task<Harness> StartAsync(int limit)
        {
            var run = new Harness();
            run._database = await TestDatabase.CreateAsync("PostgreSql");
            run.Jobs = new JobStore(run._database.Db, run.Clock);
            BusExtensions.MapCommandQueues();
            run._bus = Bus.Factory.CreateUsingInMemory(cfg => cfg.ReceiveEndpoint(QueueNames.RunProbe, e => e.Handler<RunProbe>(context =>
            {
                run.Sent.Add(context.Message.JobId);
                return Task.CompletedTask;
            })));
            await run._bus.StartAsync();
            var options = new JobOptions { MaxInFlightPerTenant = limit, DispatchInterval = run.Interval };
            run._dispatcher = new JobDispatcher(run.Jobs, run._bus, run.Clock, Options.Create(options), NullLogger<JobDispatcher>.Instance);
            await run._dispatcher.StartAsync(CancellationToken.None);
            return run;
        }

        /// <summary>Submits jobs of one tenant and waits until the dispatcher has taken them (and sent them, if expected).</summary>
        public async Task<Job[]> DispatchAsync(int count, bool expectSent)
        {
            var timers = Clock.PendingTimers;
            var created = new Job[count];
            for (var i = 0; i < count; i++)
            {
                created[i] = await Jobs.CreateAsync("acme", JobTypes.Probe, null);
                Assert.That(_dispatcher.TryEnqueue(created[i]), Is.True);
            }
            // A batch waiting for its record (a timer) has sent what it was going to send.
            await Eventually.HoldsAsync(() => Task.FromResult(Clock.PendingTimers > timers
                && (!expectSent || created.All(j => Sent.Contains(j.Id)))), "the jobs were taken and sent", Patience);
            if (expectSent)
            {
                Assert.That(created.Select(j => j.Id), Is.SubsetOf(Sent));
            }
            return created;
        }

        /// <summary>A worker claims and finishes the jobs before their sends are recorded.</summary>
        public async Task EndAsync(IEnumerable<Job> jobs)
        {
            foreach (var job in jobs)
            {
                Assert.That((await Jobs.TryStartAsync(job.Id)).Claim, Is.EqualTo(JobClaim.Started));
                Assert.That(await Jobs.SucceedAsync(job.Id, null), Is.True);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _dispatcher.StopAsync(CancellationToken.None);
            await _bus.StopAsync();
            await Jobs.DisposeAsync();
            await _database.DisposeAsync();
        }
    }
}
