using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Platform.Data;

namespace Platform.Tests.Storage;

/// <summary>
/// What <see cref="GroupCommit{TItem,TResult}"/> does when PostgreSQL aborts a batch's statement to break a deadlock:
/// the statement had no effect, so the batch is written again; only a deadlock that keeps coming reaches the callers.
/// (The statements themselves are tested against PostgreSQL in JobDeadlockTests and JobTransitionGroupTests.)
/// </summary>
public sealed class GroupCommitTests
{
    private static PostgresException Deadlock() => new("deadlock detected", "ERROR", "ERROR", PostgresErrorCodes.DeadlockDetected);

    [Test]
    public async Task Should_write_a_batch_again_when_it_was_a_deadlocks_victim()
    {
        var attempts = 0;
        await using var commit = new GroupCommit<int, int>("numbers", 1, items =>
            ++attempts == 1 ? throw Deadlock() : Task.FromResult<IReadOnlyList<int>>([.. items.Select(i => i * 10)]),
            NullLogger.Instance);

        Assert.That(await commit.RunAsync(4), Is.EqualTo(40), "the caller gets the result of the second write");
        Assert.That(attempts, Is.EqualTo(2));
    }

    [Test]
    public async Task Should_fail_the_callers_when_every_write_of_the_batch_deadlocks()
    {
        var attempts = 0;
        await using var commit = new GroupCommit<int, int>("numbers", 1, _ =>
        {
            attempts++;
            throw Deadlock();
        }, NullLogger.Instance);

        var error = Assert.ThrowsAsync<PostgresException>(() => commit.RunAsync(4));
        Assert.That(error!.SqlState, Is.EqualTo(PostgresErrorCodes.DeadlockDetected));
        Assert.That(attempts, Is.EqualTo(4), "the first write and three more, then the error");
    }
}
