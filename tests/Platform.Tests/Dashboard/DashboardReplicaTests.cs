using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Platform.Data;
using Platform.Tests.Support;

namespace Platform.Tests.Dashboard;

/// <summary>
/// The dashboard in the deployed shape: API replicas on one PostgreSQL database, as processes, each with a home folder
/// of its own as containers have (ASP.NET Core keeps its cookie keys there unless told otherwise), and one process that
/// runs the Hangfire server. Whichever replica the load balancer picks must honour the login and show Hangfire's dashboard.
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
    public async Task Should_show_Hangfire_on_a_replica_without_its_server_and_fire_what_it_triggers_once()
    {
        await using var environment = await DistributedEnvironment.CreateAsync("replica-schedules");
        await using var scheduler = await StartReplicaAsync(environment, schedules: true);
        await using var replica = await StartReplicaAsync(environment, schedules: false);
        using var dashboard = await OpsUser.LogInAsync(replica.BaseAddress, new CookieContainer());

        var page = await dashboard.GetStringAsync("hangfire/recurring");
        Assert.That(page, Does.Contain("value=\"nightly-backup\"").And.Contain("value=\"backup-retention\"").And.Contain("value=\"backup-verification\""),
            "the replica's dashboard reads the recurring jobs the scheduler stored");
        Assert.That(page, Does.Contain("/recurring/trigger"), "an admin sees Trigger now");

        // What "Trigger now" sends: the page's anti-forgery token in its header, the job in the form.
        var header = Regex.Match(page, "name=\"csrf-header\" content=\"([^\"]+)\"").Groups[1].Value;
        var token = Regex.Match(page, "name=\"csrf-token\" content=\"([^\"]+)\"").Groups[1].Value;
        var trigger = await dashboard.SendAsync(new HttpRequestMessage(HttpMethod.Post, "hangfire/recurring/trigger")
        {
            Headers = { { header, token } },
            Content = new FormUrlEncodedContent([new("jobs[]", "backup-retention")]),
        });
        Assert.That(trigger.IsSuccessStatusCode, Is.True, $"{(int)trigger.StatusCode}");

        // The scheduler's Hangfire server runs the firing; the replica has no server.
        var deadline = DateTime.UtcNow + Patience;
        while (await environment.Database.ScalarAsync($"SELECT count(*) FROM jobs WHERE type = '{JobTypes.BackupRetention}'") == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        Assert.That(await environment.Database.ScalarAsync($"SELECT count(*) FROM jobs WHERE type = '{JobTypes.BackupRetention}'"), Is.EqualTo(1),
            "fired once, by the scheduler\n" + scheduler.Output);
        Assert.That(await environment.Database.ScalarAsync("SELECT count(*) FROM hangfire.server"), Is.EqualTo(1), "one Hangfire server: the scheduler's");
    }

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
