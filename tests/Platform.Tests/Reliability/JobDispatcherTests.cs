using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Jobs;

namespace Platform.Tests.Reliability;

/// <summary>The dispatcher's queue when sends fall behind: a submission never waits for room.</summary>
[TestFixture]
public sealed class JobDispatcherTests
{
    [Test]
    public void Should_refuse_to_queue_beyond_its_capacity_without_waiting_and_leave_the_rest_to_the_sweeper()
    {
        // Not started, so nothing drains the queue: as if the broker stopped confirming. Store and bus are never reached.
        var dispatcher = new JobDispatcher(null!, null!, TimeProvider.System, Options.Create(new JobOptions()), NullLogger<JobDispatcher>.Instance);
        var queued = Enumerable.Range(0, JobDispatcher.Capacity).Select(_ => Job()).ToList();

        Assert.That(queued.Select(dispatcher.TryEnqueue), Is.All.True);
        var overflow = Job();
        Assert.That(dispatcher.TryEnqueue(overflow), Is.False, "a full queue answers at once instead of making the request wait");
        Assert.That(dispatcher.IsPending(queued[0].Id), Is.True, "queued jobs are this process's to send; the sweeper leaves them alone");
        Assert.That(dispatcher.IsPending(overflow.Id), Is.False, "the overflow is left, recorded and unsent, to the sweeper");
    }

    private static Job Job() => new()
    {
        Id = Guid.NewGuid(), TenantId = "acme", Type = JobTypes.Probe, Status = JobStatus.Queued,
        CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
    };
}
