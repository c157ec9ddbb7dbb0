using Microsoft.Playwright;
using Platform.Tests.Dashboard;
using Platform.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Platform.Tests.Api;

/// <summary>The API reference at /scalar in a real browser: it renders this API's operations and asks nothing of any other host.</summary>
[TestFixture]
[Category("Browser")]
public sealed class ApiReferenceTests
{
    [Test]
    public async Task Should_render_the_reference_offline_without_outbound_buttons()
    {
        var work = Directory.CreateTempSubdirectory("platform-reference-").FullName;
        try
        {
            await using var api = await HostProcess.StartAsync(HostProcess.Standalone,
                new Dictionary<string, string> { ["Scheduler__Enabled"] = "false" }, work);
            await using var browser = await Browser.LaunchAsync();
            var page = await browser.NewPageAsync(api.BaseAddress);
            var requested = new List<string>();
            page.Request += (_, request) => requested.Add(request.Url);

            await page.GotoAsync("scalar/");

            await Expect(page.GetByText("/api/v1/documents/{id}").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await Browser.ScreenshotAsync(page, "api-reference");
            Assert.That(requested, Is.Not.Empty);
            Assert.That(requested.Where(u => u.StartsWith("http", StringComparison.Ordinal) && new Uri(u).Host != api.BaseAddress.Host),
                Is.Empty, "nothing fetched from another host (CDN, fonts, telemetry)");
            await Expect(page.GetByText("Ask AI")).ToHaveCountAsync(0);
            await Expect(page.GetByText("Deploy", new() { Exact = true })).ToHaveCountAsync(0);
        }
        finally
        {
            TestFolders.Delete(work);
        }
    }
}
