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
        await using var database = await TestDatabase.CreateAsync("PostgreSql");
        var clock = new ManualClock(DateTimeOffset.UtcNow, manualTimers: true);
        await using var jobs = new JobStore(database.Db, clock);
        var sent = new ConcurrentBag<Guid>();
        BusExtensions.MapCommandQueues();
        var bus = Bus.Factory.CreateUsingInMemory(cfg => cfg.ReceiveEndpoint(QueueNames.RunProbe, e => e.Handler<RunProbe>(context =>
        {
            sent.Add(context.Message.JobId);
            return Task.CompletedTask;
        })));
        await bus.StartAsync();
        var options = new JobOptions { MaxInFlightPerTenant = 2, DispatchInterval = JobTimings.RecordDelay / 4 };
        var dispatcher = new JobDispatcher(jobs, bus, clock, Options.Create(options), NullLogger<JobDispatcher>.Instance);
        await dispatcher.StartAsync(CancellationToken.None);
        try
        {
            async Task<Job[]> DispatchAsync(int count, bool expectSent)
            {
                var timers = clock.PendingTimers;
                var created = new Job[count];
                for (var i = 0; i < count; i++)
                {
                    created[i] = await jobs.CreateAsync("acme", JobTypes.Probe, null);
                    Assert.That(dispatcher.TryEnqueue(created[i]), Is.True);
                }
                // A batch waiting for its record (a timer) has sent what it was going to send.
                await Eventually.HoldsAsync(() => Task.FromResult(clock.PendingTimers > timers
                    && (!expectSent || created.All(j => sent.Contains(j.Id)))), "the jobs were taken and sent", Patience);
                return created;
            }

            var first = await DispatchAsync(2, expectSent: true);
            Assert.That(first.Select(j => j.Id), Is.SubsetOf(sent), "the tenant's first two jobs are sent");
            foreach (var job in first)
            {
                Assert.That((await jobs.TryStartAsync(job.Id)).Claim, Is.EqualTo(JobClaim.Started));
                Assert.That(await jobs.SucceedAsync(job.Id, null), Is.True);
            }
            clock.Advance(options.DispatchInterval); // the count is read again; the first sends are still unrecorded

            var second = await DispatchAsync(2, expectSent: true);
            Assert.That(second.Select(j => j.Id), Is.SubsetOf(sent), "two ended jobs leave the tenant two in flight of two");
            clock.Advance(options.DispatchInterval);

            var third = await DispatchAsync(1, expectSent: false);
            Assert.That(sent, Does.Not.Contain(third[0].Id), "the second two are sent and queued: the tenant is at its limit");
            Assert.That((await jobs.GetAsync(third[0].Id))!.DispatchedAt, Is.Null, "held, so left unsent for the sweeper");
        }
        finally
        {
            await dispatcher.StopAsync(CancellationToken.None);
            await bus.StopAsync();
        }
    }
}
