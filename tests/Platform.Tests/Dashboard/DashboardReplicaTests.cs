using System.Net;
using System.Security.Cryptography;
using Npgsql;
using Platform.Tests.Support;

namespace Platform.Tests.Dashboard;

/// <summary>
/// API replicas as containers run them: one database, and each process with a home folder of its own (where ASP.NET
/// Core keeps its cookie keys unless told otherwise). A dashboard login must hold on whichever replica the load
/// balancer picks, and across a restart.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class DashboardReplicaTests
{
    [Test]
    public async Task Should_honour_a_dashboard_login_on_another_replica_and_after_every_replica_restarted()
    {
        await using var environment = await DistributedEnvironment.CreateAsync("replicas");
        var cookies = new CookieContainer();

        await using (var first = await StartReplicaAsync(environment))
        await using (var second = await StartReplicaAsync(environment))
        {
            using var onFirst = Client(first, cookies);
            var login = await onFirst.PostAsync("dashboard/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["name"] = "ops", ["password"] = "secret",
            }));
            Assert.That(login.Headers.Location?.ToString(), Is.EqualTo("/dashboard/"), "logged in on the first replica");
            Assert.That((await onFirst.GetAsync("dashboard/api/overview")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

            using var onSecond = Client(second, cookies);
            Assert.That((await onSecond.GetAsync("dashboard/api/overview")).StatusCode, Is.EqualTo(HttpStatusCode.OK),
                "the first replica's cookie on the second");
            using var anonymous = Client(second, new CookieContainer());
            Assert.That((await anonymous.GetAsync("dashboard/api/overview")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized),
                "without the cookie");
        }

        await using var restarted = await StartReplicaAsync(environment);
        using var afterRestart = Client(restarted, cookies);
        Assert.That((await afterRestart.GetAsync("dashboard/api/overview")).StatusCode, Is.EqualTo(HttpStatusCode.OK),
            "the cookie after every replica stopped and a new one started");
        Assert.That(await CountKeysAsync(environment), Is.EqualTo(1), "one key ring for all replicas");
    }

    private static Task<HostProcess> StartReplicaAsync(DistributedEnvironment environment)
    {
        var home = Directory.CreateDirectory(Path.Combine(environment.WorkDirectory, $"home-{Guid.NewGuid():N}")).FullName;
        return environment.StartAsync(HostProcess.Api, new Dictionary<string, string>
        {
            ["HOME"] = home,
            ["XDG_DATA_HOME"] = Path.Combine(home, ".local", "share"),
            ["Dashboard__Users__0__Name"] = "ops",
            ["Dashboard__Users__0__PasswordSha256"] = Convert.ToHexStringLower(SHA256.HashData("secret"u8.ToArray())),
            ["Dashboard__Users__0__Role"] = "admin",
        });
    }

    private static HttpClient Client(HostProcess replica, CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = replica.BaseAddress };

    private static async Task<long> CountKeysAsync(DistributedEnvironment environment)
    {
        await using var connection = new NpgsqlConnection(environment.Database.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM data_protection_keys", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
