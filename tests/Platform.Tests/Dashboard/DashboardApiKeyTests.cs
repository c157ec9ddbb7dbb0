using System.Net;
using System.Text.RegularExpressions;
using Platform.Tests.Support;

namespace Platform.Tests.Dashboard;

/// <summary>API keys from <c>Auth:ApiKeys</c> open both dashboards too: scope admin acts, scope read only looks.</summary>
[TestFixture]
[Category("Integration")]
public sealed class DashboardApiKeyTests
{
    private const string AdminKey = "admin-key-for-tests", ReadKey = "read-key-for-tests";

    private string _work = null!;
    private HostProcess _api = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _work = Directory.CreateTempSubdirectory("platform-dashboard-keys-").FullName;
        _api = await HostProcess.StartAsync(HostProcess.Standalone, new Dictionary<string, string>
        {
            ["Auth__ApiKeys__0__Name"] = "operator", ["Auth__ApiKeys__0__Key"] = AdminKey, ["Auth__ApiKeys__0__Tenant"] = "acme",
            ["Auth__ApiKeys__0__Scopes__0"] = "admin",
            ["Auth__ApiKeys__1__Name"] = "auditor", ["Auth__ApiKeys__1__Key"] = ReadKey, ["Auth__ApiKeys__1__Tenant"] = "acme",
            ["Auth__ApiKeys__1__Scopes__0"] = "read",
            ["Scheduler__Enabled"] = "true", // the recurring jobs exist, so Hangfire's pages have rows and buttons
        }, _work);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _api.DisposeAsync();
        TestFolders.Delete(_work);
    }

    private HttpClient Client(string? key)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = _api.BaseAddress,
        };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
        }
        return http;
    }

    [Test]
    public async Task Should_let_an_admin_key_act_and_a_read_key_only_look()
    {
        using var admin = Client(AdminKey);
        using var reader = Client(ReadKey);
        using var nobody = Client(null);

        Assert.That((await reader.GetAsync("dashboard/api/overview")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await reader.PostAsync("dashboard/api/jobs/retry-failed", null)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await admin.PostAsync("dashboard/api/jobs/retry-failed", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await nobody.GetAsync("dashboard/api/overview")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await Client("unknown-key").GetAsync("dashboard/api/overview")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Should_log_in_with_an_api_key_and_refuse_an_unknown_one()
    {
        using var browser = Client(null);

        var refused = await browser.PostAsync("dashboard/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["apiKey"] = "wrong" }));
        Assert.That(refused.Headers.Location?.ToString(), Is.EqualTo("/dashboard/login?failed=1"));
        Assert.That((await browser.GetAsync("dashboard/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

        var accepted = await browser.PostAsync("dashboard/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["apiKey"] = ReadKey }));
        Assert.That(accepted.Headers.Location?.ToString(), Is.EqualTo("/dashboard/"));
        var me = await browser.GetStringAsync("dashboard/api/me");
        Assert.That(me, Does.Contain("\"role\":\"readonly\"").And.Contain("\"name\":\"auditor\""));
    }

    [Test]
    public async Task Should_let_an_admin_key_trigger_on_Hangfire_and_a_read_key_only_look()
    {
        using var admin = Client(AdminKey);
        using var reader = Client(ReadKey);

        var adminPage = await admin.GetStringAsync("hangfire/recurring");
        var readerPage = await reader.GetStringAsync("hangfire/recurring");
        Assert.That(adminPage, Does.Contain("nightly-backup").And.Contain("/recurring/trigger"));
        Assert.That(readerPage, Does.Contain("nightly-backup").And.Not.Contain("/recurring/trigger").And.Not.Contain("/recurring/remove"));
        Assert.That((await Client(null).GetAsync("hangfire/recurring")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await Client("unknown-key").GetAsync("hangfire")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

        Assert.That((await TriggerAsync(reader, readerPage)).StatusCode, Is.AnyOf(HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden));
        Assert.That((await TriggerAsync(admin, adminPage)).IsSuccessStatusCode, Is.True);
    }

    /// <summary>The request Hangfire's "Trigger now" sends for backup-retention, with the page's anti-forgery token.</summary>
    private static Task<HttpResponseMessage> TriggerAsync(HttpClient client, string page) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "hangfire/recurring/trigger")
        {
            Headers =
            {
                {
                    Regex.Match(page, "name=\"csrf-header\" content=\"([^\"]+)\"").Groups[1].Value,
                    Regex.Match(page, "name=\"csrf-token\" content=\"([^\"]+)\"").Groups[1].Value
                },
            },
            Content = new FormUrlEncodedContent([new("jobs[]", "backup-retention")]),
        });
}
