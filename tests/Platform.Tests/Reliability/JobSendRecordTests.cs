using MassTransit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Jobs;
using Platform.Tests.Support;

namespace Platform.Tests.Reliability;

/// <summary>
/// The dispatcher records a batch's sends a moment after them (<see cref="JobTimings.RecordDelay"/>), on PostgreSQL
/// and a real (in-memory) MassTransit bus, with the clock moved by hand: a job a worker claimed in between already has
/// its send recorded by the claim and gets no write of its own; a job nobody took is recorded.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class JobSendRecordTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30); // upper bound for polling, not a timing under test

    [Test]
    public async Task Should_leave_the_send_record_to_the_claim_of_a_job_a_worker_took_first()
    {
        await using var database = await TestDatabase.CreateAsync("PostgreSql");
        var clock = new ManualClock(DateTimeOffset.UtcNow, manualTimers: true);
        await using var jobs = new JobStore(database.Db, clock);
        BusExtensions.MapCommandQueues();
        var bus = Bus.Factory.CreateUsingInMemory(_ => { });
        await bus.StartAsync();
        var dispatcher = new JobDispatcher(jobs, bus, clock, Options.Create(new JobOptions()), NullLogger<JobDispatcher>.Instance);
        await dispatcher.StartAsync(CancellationToken.None);
        try
        {
            var sentAt = clock.GetUtcNow();
            var taken = await jobs.CreateAsync("acme", JobTypes.Probe, null);
            var untaken = await jobs.CreateAsync("acme", JobTypes.Probe, null);
            Assert.That(dispatcher.TryEnqueue(taken) && dispatcher.TryEnqueue(untaken), Is.True);
            await Eventually.HoldsAsync(() => Task.FromResult(clock.PendingTimers == 1), "the batch is sent and waits to be recorded", Patience);

            clock.Advance(RecordDelayHalf);
            var (claim, _) = await jobs.TryStartAsync(taken.Id); // a worker takes its command
            Assert.That(claim, Is.EqualTo(JobClaim.Started));
            Assert.That(dispatcher.IsPending(untaken.Id), Is.True, "still this process's until recorded");
            clock.Advance(RecordDelayHalf);
            await Eventually.HoldsAsync(async () => (await jobs.GetAsync(untaken.Id))!.DispatchedAt is not null, "the untaken job's send is recorded",
                Patience);

            var claimed = (await jobs.GetAsync(taken.Id))!;
            Assert.That(claimed.DispatchedAt, Is.EqualTo(claimed.StartedAt).And.EqualTo(sentAt + RecordDelayHalf).Within(TimeSpan.FromMilliseconds(1)),
                "recorded by its claim, not again by the dispatcher");
            Assert.That((await jobs.GetAsync(untaken.Id))!.DispatchedAt,
                Is.EqualTo(sentAt + JobTimings.RecordDelay).Within(TimeSpan.FromMilliseconds(1)), "recorded by the dispatcher");
            await Eventually.HoldsAsync(() => Task.FromResult(!dispatcher.IsPending(untaken.Id)), "handed over once recorded", Patience);
        }
        finally
        {
            await dispatcher.StopAsync(CancellationToken.None);
            await bus.StopAsync();
        }
    }

    private static TimeSpan RecordDelayHalf => JobTimings.RecordDelay / 2;
}
