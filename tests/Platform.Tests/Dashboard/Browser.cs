using Microsoft.Playwright;
using Platform.Tests.Support;

namespace Platform.Tests.Dashboard;

/// <summary>
/// Debian's Chromium driven by Playwright's bundled driver (no browser download: <c>playwright install</c> is never run).
/// The flags keep Chromium from reaching for hosts this machine cannot reach.
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private Browser(IPlaywright playwright, IBrowser chromium)
    {
        _playwright = playwright;
        Chromium = chromium;
    }

    public IBrowser Chromium { get; }

    public static string ScreenshotFolder { get; } = Path.Combine(RepoPaths.Root, "artifacts", "screenshots");

    public static async Task<Browser> LaunchAsync()
    {
        Assert.That(File.Exists(ChromiumPath), Is.True, $"{ChromiumPath} is missing: apt-get install -y chromium");
        var playwright = await Playwright.CreateAsync();
        var chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
        return new Browser(playwright, chromium);
    }

    /// <summary>A fresh context (no cookies) with one page, sized like an operator's screen.</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress)
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        return await context.NewPageAsync();
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path, name);
    }

    public async ValueTask DisposeAsync()
    {
        await Chromium.DisposeAsync();
        _playwright.Dispose();
    }
}
