using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Api.Dashboard.Queues;
using Platform.Data;
using Platform.Jobs;
using Platform.Messages;
using Platform.Tests.Support;

namespace Platform.Tests.Dashboard;

/// <summary>Single-process mode's Queues page: in and done rates measured on the job table over the last minute.</summary>
[TestFixture]
[Category("Integration")]
public sealed class InMemoryQueueRateTests
{
    [Test]
    public async Task Should_rate_jobs_created_and_finished_in_the_last_minute_and_leave_unmapped_queues_blank()
    {
        var folder = Directory.CreateTempSubdirectory("platform-queue-rates-").FullName;
        await using var db = new Db(Options.Create(new DatabaseOptions { Provider = "Sqlite", ConnectionString = $"Data Source={Path.Combine(folder, "p.db")}" }));
        try
        {
            await new SchemaMigrator(db, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
            var clock = new ManualClock(new DateTimeOffset(2026, 12, 5, 10, 0, 0, TimeSpan.Zero));
            var jobs = new JobStore(db, clock);
            var old = await jobs.CreateAsync("acme", JobTypes.Answer, null); // created outside the window
            clock.Advance(TimeSpan.FromMinutes(2));
            for (var i = 0; i < 6; i++)
            {
                await jobs.CreateAsync("acme", JobTypes.Answer, null);
            }
            await jobs.MarkDispatchedAsync(old.Id);
            await jobs.TryStartAsync(old.Id);
            await jobs.SucceedAsync(old.Id, null); // finished inside the window
            var monitor = new InMemoryQueueMonitor(db, new WorkerActivity(), clock);

            var queues = (await monitor.ListAsync(CancellationToken.None)).ToDictionary(q => q.Name);

            var answers = queues[QueueNames.GenerateAnswer];
            Assert.That(answers.PublishRate, Is.EqualTo(6 / 60.0).Within(1e-9), "six created in the last minute");
            Assert.That(answers.DeliverRate, Is.EqualTo(1 / 60.0).Within(1e-9), "one finished in the last minute");
            Assert.That(queues[QueueNames.BackupDatabase].PublishRate, Is.Zero, "measured, nothing happened");
            Assert.That(queues[QueueNames.EmbedDocument].PublishRate, Is.Null, "no job type maps to it: shown as unknown");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TestFolders.Delete(folder);
        }
    }
}
