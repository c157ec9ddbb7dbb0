using System.Net;
using Platform.Tests.Support;

namespace Platform.Tests.Reliability;

/// <summary>
/// A worker whose broker connection hangs (a TCP proxy that stops forwarding, the connection still open) must say so:
/// first not ready, then not live, so the orchestrator takes it out of rotation and then restarts it. Without the bus
/// watchdog such a process looked healthy while it could neither send nor consume.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class BusWatchdogTests
{
    [Test]
    public async Task Should_turn_unready_then_not_live_while_the_broker_connection_is_stalled_and_recover_when_it_flows()
    {
        await using var vhost = await RabbitVhost.CreateAsync();
        await using var proxy = new TcpProxy(5672);
        var work = Directory.CreateTempSubdirectory("platform-watchdog-").FullName;
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["Database__ConnectionString"] = $"Data Source={Path.Combine(work, "platform.db")}",
                ["Blobs__Root"] = Path.Combine(work, "blobs"),
                ["Bus__RabbitMqUri"] = $"amqp://guest:guest@127.0.0.1:{proxy.Port}/{Uri.EscapeDataString(vhost.Name)}",
                ["Bus__WatchdogInterval"] = "00:00:01",
                ["Bus__WatchdogReadyAfter"] = "00:00:03",
                ["Bus__WatchdogLiveAfter"] = "00:00:06",
            };
            await using var worker = await HostProcess.StartAsync(HostProcess.Ingest, environment, work);
            using var http = new HttpClient { BaseAddress = worker.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            Assert.That((await http.GetAsync("health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

            proxy.Stall();
            await Eventually.HoldsAsync(async () => (await http.GetAsync("health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable,
                "not ready while stalled", TimeSpan.FromSeconds(60));
            await Eventually.HoldsAsync(async () => (await http.GetAsync("health/live")).StatusCode == HttpStatusCode.ServiceUnavailable,
                "not live while stalled", TimeSpan.FromSeconds(60));
            var live = await (await http.GetAsync("health/live")).Content.ReadAsStringAsync();
            Assert.That(live, Does.Contain("cannot send"), "the live check says why");
            await Eventually.HoldsAsync(() => Task.FromResult(worker.Output.Contains("asking for a restart")), "the log says why",
                TimeSpan.FromSeconds(30));

            proxy.Resume();
            await Eventually.HoldsAsync(async () => (await http.GetAsync("health/live")).StatusCode == HttpStatusCode.OK,
                "live again once the connection flows", TimeSpan.FromSeconds(90));
            await Eventually.HoldsAsync(async () => (await http.GetAsync("health/ready")).StatusCode == HttpStatusCode.OK,
                "ready again once the connection flows", TimeSpan.FromSeconds(90));
        }
        finally
        {
            TestFolders.Delete(work);
        }
    }
}
