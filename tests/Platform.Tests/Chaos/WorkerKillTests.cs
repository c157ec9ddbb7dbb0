using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using Platform.Tests.Support;
using Platform.Workers.Ingest;
using Platform.Workers.Ingest.Chunking;
using Platform.Workers.Ingest.Parsing;

namespace Platform.Tests.Chaos;

/// <summary>
/// kill -9 workers at random moments while jobs flow; afterwards every accepted job has succeeded (lost=0) and every
/// document has exactly the chunks one parse produces (duplicated=0).
/// </summary>
[TestFixture]
[Category("EndToEnd")]
[Category("Chaos")]
public sealed class WorkerKillTests
{
    [Test]
    public async Task Should_lose_and_duplicate_nothing_when_workers_are_killed_during_load()
    {
        await using var platform = await DistributedEnvironment.CreateAsync("chaos");
        var (database, work) = (platform.Database, platform.WorkDirectory);
        var environment = platform.Settings(new Dictionary<string, string>
        {
            ["Bus__RetryInitialDelay"] = "00:00:00.200",
            ["RateLimits__PerKeyPerMinute"] = "0", // the run polls hundreds of jobs; limits are tested elsewhere
            ["Jobs__LeaseTimeout"] = "00:00:03",
            ["Jobs__DispatchInterval"] = "00:00:00.250",
            ["Jobs__MaxInFlightPerTenant"] = "100000",
            ["Jobs__MaxAttempts"] = "50",
        });
        var random = new Random(Seed);
        var (folders, kills, rounds) = (new[] { HostProcess.Ingest, HostProcess.Ai }, 0, 0);
        await using var api = await HostProcess.StartAsync(HostProcess.Api, environment, work);
        var workers = new List<HostProcess>
        {
            await HostProcess.StartAsync(HostProcess.Ingest, environment, work),
            await HostProcess.StartAsync(HostProcess.Ai, environment, work),
        };
        try
        {
            var client = new PlatformClient(new HttpClient { BaseAddress = api.BaseAddress });
            var texts = new Dictionary<Guid, string>();
            var jobs = new List<Guid>();
            for (rounds = 0; rounds < ChaosSettings.Rounds; rounds++)
            {
                var submitting = Task.Run(async () =>
                {
                    for (var i = 0; i < ChaosSettings.Jobs; i++)
                    {
                        var text = Document(rounds, i);
                        var accepted = await client.UploadTextAsync($"doc-{rounds}-{i}.md", text);
                        lock (texts)
                        {
                            texts[accepted.GetGuid("documentId")] = text;
                            jobs.Add(accepted.GetGuid("jobId"));
                        }
                    }
                });
                for (var k = 0; k < ChaosSettings.Kills; k++)
                {
                    await Task.Delay(random.Next(300, 1500));
                    var victim = random.Next(workers.Count);
                    workers[victim].Kill();
                    await workers[victim].DisposeAsync();
                    workers[victim] = await HostProcess.StartAsync(victim == 0 ? folders[0] : folders[1], environment, work);
                    kills++;
                }
                await submitting;
            }

            foreach (var job in jobs)
            {
                await client.WaitForJobAsync(job, TimeSpan.FromMinutes(3));
            }

            await using var db = new NpgsqlConnection(database.ConnectionString);
            var statuses = (await db.QueryAsync<(string Status, long Count)>("SELECT status, count(*) FROM jobs GROUP BY status"))
                .ToDictionary(r => r.Status, r => r.Count);
            var maxAttempts = await db.ExecuteScalarAsync<int>("SELECT max(attempts) FROM jobs");
            var packer = new ChunkPacker(Options.Create(new IngestOptions()));
            var duplicated = 0;
            foreach (var (documentId, text) in texts)
            {
                var expected = packer.Pack(MarkdownParser.Parse(text).Sections).Count;
                var actual = await db.ExecuteScalarAsync<long>("SELECT count(*) FROM chunks WHERE document_id = @documentId", new { documentId });
                var embedded = await db.ExecuteScalarAsync<long>(
                    "SELECT count(*) FROM chunks WHERE document_id = @documentId AND embedding IS NOT NULL", new { documentId });
                duplicated += actual != expected || embedded != expected ? 1 : 0;
            }
            var lost = jobs.Count - (int)statuses.GetValueOrDefault("succeeded");
            ChaosSettings.Report("worker-kill",
                $"runs={rounds} kills={kills} jobs={jobs.Count} lost={lost} duplicated={duplicated} max_attempts={maxAttempts} seed={Seed}");

            Assert.That(lost, Is.Zero, string.Join(", ", statuses));
            Assert.That(duplicated, Is.Zero);
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }
        }
    }

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("PLATFORM_CHAOS_SEED"), out var s) ? s : 20261122;

    private static string Document(int round, int i) => $"""
        # Report {round}-{i}

        ## Summary

        Batch {round} document {i} describes the quarterly review. Revenue grew in every region.
        The team shipped {i % 7 + 1} releases and closed {i * 3} incidents.

        ## Details

        {string.Join(" ", Enumerable.Range(0, 40 + i % 30).Select(n => $"Sentence {n} of document {i} explains item {n * i}."))}
        """;
}
