using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Data;
using Platform.Tests.Support;

namespace Platform.Tests.Dashboard;

/// <summary>
/// The dashboard in the deployed shape: API replicas on one PostgreSQL database, as processes, each with a home folder
/// of its own as containers have (ASP.NET Core keeps its cookie keys there unless told otherwise), and one process that
/// runs the schedules. Whichever replica the load balancer picks must honour the login and show the schedules.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class DashboardReplicaTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60); // upper bound for polling, not a timing under test

    [Test]
    public async Task Should_honour_a_dashboard_login_on_another_replica_and_after_every_replica_restarted()
    {
        await using var environment = await DistributedEnvironment.CreateAsync("replicas");
        var cookies = new CookieContainer();

        await using (var first = await StartReplicaAsync(environment, schedules: false))
        await using (var second = await StartReplicaAsync(environment, schedules: false))
        {
            using var onFirst = await OpsUser.LogInAsync(first.BaseAddress, cookies);
            Assert.That((await onFirst.GetAsync("dashboard/api/overview")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

            using var onSecond = OpsUser.Client(second.BaseAddress, cookies);
            Assert.That((await onSecond.GetAsync("dashboard/api/overview")).StatusCode, Is.EqualTo(HttpStatusCode.OK),
                "the first replica's cookie on the second");
            using var anonymous = OpsUser.Client(second.BaseAddress, new CookieContainer());
            Assert.That((await anonymous.GetAsync("dashboard/api/overview")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized),
                "without the cookie");
        }

        await using var restarted = await StartReplicaAsync(environment, schedules: false);
        using var afterRestart = OpsUser.Client(restarted.BaseAddress, cookies);
        Assert.That((await afterRestart.GetAsync("dashboard/api/overview")).StatusCode, Is.EqualTo(HttpStatusCode.OK),
            "the cookie after every replica stopped and a new one started");
        Assert.That(await environment.Database.ScalarAsync("SELECT count(*) FROM data_protection_keys"), Is.EqualTo(1), "one key ring for all replicas");
    }

    [Test]
    public async Task Should_show_and_trigger_the_stored_schedules_on_a_replica_that_does_not_run_them()
    {
        await using var environment = await DistributedEnvironment.CreateAsync("replica-schedules");
        await using var scheduler = await StartReplicaAsync(environment, schedules: true);
        await using var replica = await StartReplicaAsync(environment, schedules: false);
        using var dashboard = await OpsUser.LogInAsync(replica.BaseAddress, new CookieContainer());

        var listed = await dashboard.GetFromJsonAsync<JsonElement>("dashboard/api/schedules");
        Assert.That(listed.GetProperty("available").GetBoolean(), Is.True);
        var retention = Schedule(listed, "backup-retention");
        Assert.That(Schedule(listed, "nightly-backup").GetProperty("nextRun").ValueKind, Is.EqualTo(JsonValueKind.String), "the stored cron trigger");
        Assert.That(retention.GetProperty("lastOutcome").ValueKind, Is.EqualTo(JsonValueKind.Null), "never fired yet");

        var trigger = await dashboard.SendAsync(new HttpRequestMessage(HttpMethod.Post,
            $"dashboard/api/schedules/{retention.GetProperty("group").GetString()}/backup-retention/trigger") { Headers = { { "X-Dashboard", "1" } } });
        Assert.That(trigger.IsSuccessStatusCode, Is.True, await trigger.Content.ReadAsStringAsync());

        // The scheduler process fires it and records the outcome; the replica reads it.
        var deadline = DateTime.UtcNow + Patience;
        string? outcome;
        do
        {
            await Task.Delay(500);
            outcome = Schedule(await dashboard.GetFromJsonAsync<JsonElement>("dashboard/api/schedules"), "backup-retention")
                .GetProperty("lastOutcome").GetString();
        }
        while (outcome != "succeeded" && DateTime.UtcNow < deadline);
        Assert.That(outcome, Is.EqualTo("succeeded"), scheduler.Output);
        Assert.That(await environment.Database.ScalarAsync($"SELECT count(*) FROM jobs WHERE type = '{JobTypes.BackupRetention}'"), Is.EqualTo(1),
            "fired once, by the scheduler");
    }

    private static JsonElement Schedule(JsonElement listed, string name) =>
        listed.GetProperty("schedules").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);

    private static Task<HostProcess> StartReplicaAsync(DistributedEnvironment environment, bool schedules)
    {
        var home = Directory.CreateDirectory(Path.Combine(environment.WorkDirectory, $"home-{Guid.NewGuid():N}")).FullName;
        return environment.StartAsync(HostProcess.Api, new Dictionary<string, string>(OpsUser.Settings())
        {
            ["HOME"] = home,
            ["XDG_DATA_HOME"] = Path.Combine(home, ".local", "share"),
            ["Scheduler__Enabled"] = schedules ? "true" : "false",
        });
    }
}
