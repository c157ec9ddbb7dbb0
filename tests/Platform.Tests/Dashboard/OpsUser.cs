using System.Net;
using System.Security.Cryptography;

namespace Platform.Tests.Dashboard;

/// <summary>The dashboard user of the process-level dashboard tests: "ops", password "secret", role admin.</summary>
internal static class OpsUser
{
    /// <summary>The host settings that configure the user.</summary>
    public static Dictionary<string, string> Settings() => new()
    {
        ["Dashboard__Users__0__Name"] = "ops",
        ["Dashboard__Users__0__PasswordSha256"] = Convert.ToHexStringLower(SHA256.HashData("secret"u8.ToArray())),
        ["Dashboard__Users__0__Role"] = "admin",
    };

    /// <summary>A client of the host that keeps its cookies in <paramref name="cookies"/> and does not follow redirects.</summary>
    public static HttpClient Client(Uri host, CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = host };

    /// <summary>Logs in on the host; the login cookie goes to <paramref name="cookies"/>.</summary>
    public static async Task<HttpClient> LogInAsync(Uri host, CookieContainer cookies)
    {
        var client = Client(host, cookies);
        var login = await client.PostAsync("dashboard/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = "ops", ["password"] = "secret",
        }));
        Assert.That(login.Headers.Location?.ToString(), Is.EqualTo("/dashboard/"), "logged in");
        return client;
    }
}
