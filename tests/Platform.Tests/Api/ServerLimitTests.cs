using System.Net;
using System.Text;
using Platform.Tests.Support;

namespace Platform.Tests.Api;

/// <summary>Limits the real server (Kestrel) enforces, so they are tested against the real process, not the in-memory test server.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class ServerLimitTests
{
    private string _work = null!;
    private HostProcess _api = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _work = Directory.CreateTempSubdirectory("platform-limits-").FullName;
        _api = await HostProcess.StartAsync(HostProcess.Standalone, new Dictionary<string, string> { ["Scheduler__Enabled"] = "false" }, _work);
        _http = new HttpClient { BaseAddress = _api.BaseAddress };
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _api.DisposeAsync();
        TestFolders.Delete(_work);
    }

    [Test]
    public async Task Should_refuse_a_json_body_over_one_megabyte_with_413_problem()
    {
        var huge = new StringContent("{\"query\": \"" + new string('a', 2 * 1024 * 1024) + "\"}", Encoding.UTF8, "application/json");
        var response = await _http.PostAsync("api/v1/search", huge);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task Should_accept_an_upload_larger_than_the_json_limit()
    {
        var text = string.Join("\n\n", Enumerable.Range(0, 30_000).Select(i => $"Paragraph {i} about retention and backups."));
        Assert.That(Encoding.UTF8.GetByteCount(text), Is.GreaterThan(1024 * 1024));
        var client = new PlatformClient(_http);
        var accepted = await client.UploadTextAsync("long.txt", text);
        await client.WaitForSuccessAsync(accepted.GetGuid("jobId"), TimeSpan.FromMinutes(2));
    }

    [Test]
    public async Task Should_refuse_oversized_request_headers_with_431()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/jobs");
        request.Headers.Add("X-Padding", new string('h', 64 * 1024));
        var response = await _http.SendAsync(request);
        Assert.That((int)response.StatusCode, Is.EqualTo(431));
    }
}
