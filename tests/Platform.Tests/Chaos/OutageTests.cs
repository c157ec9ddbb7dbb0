using System.Diagnostics;
using System.Net;
using Platform.Tests.EndToEnd;
using Platform.Tests.Support;

namespace Platform.Tests.Chaos;

/// <summary>
/// The database goes down and comes back, and the broker drops every connection, while uploads keep coming. Uploads
/// made during the outage are refused (503) rather than lost; every accepted job completes once things recover.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
[Category("Chaos")]
public sealed class OutageTests
{
    [TestCase(false, TestName = "Should_complete_every_accepted_job_across_database_outages")]
    [TestCase(true, TestName = "Should_complete_every_accepted_job_across_database_and_broker_outages")]
    public async Task Should_complete_every_accepted_job_across_outages(bool dropBrokerConnections)
    {
        if (dropBrokerConnections && Environment.GetEnvironmentVariable("PLATFORM_CHAOS_BROKER_DROPS") != "1")
        {
            // Known defect, not fixed: after RabbitMQ force-closes every connection, MassTransit 8.4 (RabbitMQ.Client 7)
            // sometimes never sends again from that process (each send times out waiting for the connection) or leaves a
            // consumer's publish hanging; about 1 run in 4 here. scripts/chaos.sh runs this case (README, Reliability).
            Assert.Ignore("Broker connection drops: known MassTransit reconnect defect; run by scripts/chaos.sh, not CI.");
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
            var accepted = new List<Guid>();
            var refused = 0;
            var outages = 0;

            async Task SubmitAsync(int count)
            {
                for (var i = 0; i < count; i++)
                {
                    using var form = new MultipartFormDataContent
                    {
                        { new StringContent(Samples.OperationsGuide + $"\n\nUpload {accepted.Count + refused}."), "file", "guide.md" },
                    };
                    var response = await http.PostAsync("api/v1/documents", form);
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        accepted.Add(Guid.Parse((await response.Content.ReadAsStringAsync()).Split('"')[3]));
                    }
                    else
                    {
                        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), await response.Content.ReadAsStringAsync());
                        refused++;
                    }
                }
            }

            var perPhase = Math.Max(5, ChaosSettings.Jobs / 4);
            for (var round = 0; round < ChaosSettings.Rounds; round++)
            {
                await SubmitAsync(perPhase);
                await postgres.StopAsync();
                outages++;
                await SubmitAsync(3);
                await Task.Delay(2000);
                await postgres.StartAsync();
                await SubmitAsync(perPhase);
                if (dropBrokerConnections)
                {
                    await CloseBrokerConnectionsAsync(vhost.Name);
                    outages++;
                    await SubmitAsync(perPhase);
                }
            }

            var lost = 0;
            foreach (var job in accepted)
            {
                var status = (await client.WaitForJobAsync(job, TimeSpan.FromMinutes(3))).GetProperty("status").GetString();
                lost += status == "succeeded" ? 0 : 1;
            }
            ChaosSettings.Report("outage", $"runs={ChaosSettings.Rounds} outages={outages} accepted={accepted.Count} refused={refused} lost={lost}");
            Assert.That(refused, Is.GreaterThan(0), "uploads during the database outage were refused, not swallowed");
            Assert.That(lost, Is.Zero);
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>Drops every client connection of this test's virtual host only (other tests' vhosts are untouched).</summary>
    private static async Task CloseBrokerConnectionsAsync(string vhost)
    {
        using var process = Process.Start("rabbitmqctl", ["-n", "rabbit@localhost", "close_all_connections", "-p", vhost, "chaos test"])!;
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero);
    }
}
