using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Npgsql;
using Platform.Tests.EndToEnd;
using Platform.Tests.Support;

namespace Platform.Tests.Chaos;

/// <summary>
/// Outages while uploads and questions keep coming, through the distributed shape (API, ingest and AI workers as their
/// own processes): the database goes down and comes back; the broker force-closes every connection of the run's vhost;
/// the broker node's application restarts. Uploads made while the database is away are refused (503) rather than lost;
/// every accepted job ends succeeded, exactly once in effect (one set of chunks per document), and no process is left
/// wedged (each one's /health/live answers 200 at the end, without a restart).
/// </summary>
[TestFixture]
[Category("EndToEnd")]
[Category("Chaos")]
public sealed class OutageTests
{
    public enum Outage
    {
        Database,
        BrokerConnectionDrops,
        BrokerRestarts,
    }

    [TestCase(Outage.Database, TestName = "Should_complete_every_accepted_job_across_database_outages")]
    [TestCase(Outage.BrokerConnectionDrops, TestName = "Should_complete_every_accepted_job_across_forced_broker_connection_closes")]
    [TestCase(Outage.BrokerRestarts, TestName = "Should_complete_every_accepted_job_across_broker_restarts")]
    public async Task Should_complete_every_accepted_job_across_outages(Outage outage)
    {
        if (outage == Outage.BrokerRestarts && Environment.GetEnvironmentVariable("PLATFORM_TEST_SHARED_BROKER") == "1")
        {
            Assert.Ignore("PLATFORM_TEST_SHARED_BROKER=1: the broker is shared with other test runs, so it is not restarted.");
        }
        await using var postgres = await PostgresServer.StartNewAsync();
        await using var vhost = await RabbitVhost.CreateAsync();
        var work = Directory.CreateTempSubdirectory("platform-outage-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = "PostgreSql",
            ["Database__ConnectionString"] = postgres.ConnectionString("platform"),
            ["Bus__RabbitMqUri"] = vhost.AmqpUri,
            ["Blobs__Root"] = Path.Combine(work, "blobs"),
            ["Scheduler__Enabled"] = "false",
            ["RateLimits__PerKeyPerMinute"] = "0", // the run polls hundreds of jobs; limits are tested elsewhere
            ["Jobs__LeaseTimeout"] = "00:00:05",
            ["Jobs__DispatchInterval"] = "00:00:00.250",
        };
        var hosts = new List<HostProcess>();
        try
        {
            foreach (var host in new[] { HostProcess.Api, HostProcess.Ingest, HostProcess.Ai })
            {
                hosts.Add(await HostProcess.StartAsync(host, environment, work));
            }
            var http = new HttpClient { BaseAddress = hosts[0].BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            var client = new PlatformClient(http);
            var uploads = new List<(Guid Job, Guid Document)>();
            var answers = new List<Guid>();
            var refused = 0;
            var outages = 0;

            async Task SubmitAsync(int count)
            {
                for (var i = 0; i < count; i++)
                {
                    using var form = new MultipartFormDataContent
                    {
                        { new StringContent(Samples.OperationsGuide + $"\n\nUpload {uploads.Count + refused}."), "file", "guide.md" },
                    };
                    var response = await http.PostAsync("api/v1/documents", form);
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                        uploads.Add((body.GetGuid("jobId"), body.GetGuid("documentId")));
                    }
                    else
                    {
                        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), await response.Content.ReadAsStringAsync());
                        refused++;
                    }
                }
                var question = await http.PostAsync("api/v1/answers", JsonContent("{\"question\":\"What does the backup worker do?\"}"));
                if (question.StatusCode == HttpStatusCode.Accepted)
                {
                    answers.Add(JsonDocument.Parse(await question.Content.ReadAsStringAsync()).RootElement.GetGuid("jobId"));
                }
            }

            var perPhase = Math.Max(5, ChaosSettings.Jobs / 4);
            var rounds = outage == Outage.Database ? ChaosSettings.Rounds
                : outage == Outage.BrokerConnectionDrops ? ChaosSettings.BrokerDrops : ChaosSettings.BrokerRestarts;
            for (var round = 0; round < rounds; round++)
            {
                await SubmitAsync(perPhase);
                switch (outage)
                {
                    case Outage.Database:
                        await postgres.StopAsync();
                        await SubmitAsync(3);
                        await Task.Delay(2000);
                        await postgres.StartAsync();
                        break;
                    case Outage.BrokerConnectionDrops:
                        await RabbitCtlAsync("close_all_connections", "-p", vhost.Name, "chaos test");
                        break;
                    case Outage.BrokerRestarts:
                        await RabbitCtlAsync("stop_app");
                        await SubmitAsync(3); // accepted and recorded while the broker is away; sent once it is back
                        await RabbitCtlAsync("start_app");
                        await RabbitCtlAsync("await_startup");
                        break;
                }
                outages++;
                await SubmitAsync(perPhase);
            }

            var lost = 0;
            foreach (var job in uploads.Select(u => u.Job).Concat(answers))
            {
                var status = (await client.WaitForJobAsync(job, TimeSpan.FromMinutes(3))).GetProperty("status").GetString();
                lost += status == "succeeded" ? 0 : 1;
            }
            var duplicated = await DocumentsWithMoreThanOneSetOfChunksAsync(postgres.ConnectionString("platform"), uploads.Select(u => u.Document));
            var wedged = 0;
            foreach (var host in hosts)
            {
                using var probe = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
                wedged += host.HasExited || (await probe.GetAsync("health/live")).StatusCode != HttpStatusCode.OK ? 1 : 0;
            }
            ChaosSettings.Report($"outage-{outage}", $"rounds={rounds} outages={outages} accepted={uploads.Count + answers.Count} "
                + $"refused={refused} lost={lost} duplicated={duplicated} wedged={wedged}");
            if (outage == Outage.Database)
            {
                Assert.That(refused, Is.GreaterThan(0), "uploads during the database outage were refused, not swallowed");
            }
            Assert.That((lost, duplicated, wedged), Is.EqualTo((0, 0, 0)), "lost, duplicated, wedged");
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
            TestFolders.Delete(work);
        }
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    /// <summary>
    /// Every upload is the same text but for its last line, so each document parses into the same number of chunks;
    /// a parse that ran twice and added instead of replaced would show as a document with more.
    /// </summary>
    private static async Task<int> DocumentsWithMoreThanOneSetOfChunksAsync(string connectionString, IEnumerable<Guid> documents)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var counts = new List<long>();
        foreach (var document in documents)
        {
            await using var command = new NpgsqlCommand("SELECT count(*) FROM chunks WHERE document_id = @d", connection);
            command.Parameters.AddWithValue("d", document);
            counts.Add((long)(await command.ExecuteScalarAsync())!);
        }
        var expected = counts.GroupBy(c => c).OrderByDescending(g => g.Count()).First().Key;
        Assert.That(expected, Is.GreaterThan(0), "documents have chunks");
        return counts.Count(c => c != expected);
    }

    /// <summary>rabbitmqctl on the test broker; close_all_connections -p touches only this test's vhost.</summary>
    private static async Task RabbitCtlAsync(params string[] args)
    {
        using var process = Process.Start("rabbitmqctl", ["-n", "rabbit@localhost", .. args])!;
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, $"rabbitmqctl {string.Join(' ', args)}");
    }
}
