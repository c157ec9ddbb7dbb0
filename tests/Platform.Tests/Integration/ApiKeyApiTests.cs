using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Platform.Tests.Integration;

/// <summary>The API (found by a type of its assembly: several hosts define Program) authenticates with the shared <c>ApiKeyVerifier</c> exactly as before it was shared.</summary>
[TestFixture]
[Category("Integration")]
public sealed class ApiKeyApiTests
{
    private string _folder = null!;
    private WebApplicationFactory<Platform.Api.ApiOptions> _factory = null!;

    [OneTimeSetUp]
    public void StartApi()
    {
        _folder = Directory.CreateTempSubdirectory("platform-apikeys-").FullName;
        _factory = new WebApplicationFactory<Platform.Api.ApiOptions>().WithWebHostBuilder(web =>
        {
            // Production, as deployed: in Development the DI scope check refuses JobSubmitter (singleton) taking the
            // scoped ISendEndpointProvider, a start-up problem outside this test's subject (reported, not fixed here).
            web.UseEnvironment("Production");
            web.UseSetting("Database:ConnectionString", $"Data Source={Path.Combine(_folder, "p.db")}");
            web.UseSetting("Blobs:Root", Path.Combine(_folder, "blobs"));
            web.UseSetting("Scheduler:Enabled", "false");
            web.UseSetting("Auth:ApiKeys:0:Name", "acme-reader");
            web.UseSetting("Auth:ApiKeys:0:Key", "reader-key");
            web.UseSetting("Auth:ApiKeys:0:Tenant", "acme");
            web.UseSetting("Auth:ApiKeys:0:Scopes:0", "read");
        });
    }

    [OneTimeTearDown]
    public async Task StopApi()
    {
        await _factory.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestFolders.Delete(_folder);
    }

    [TestCase(null, null, HttpStatusCode.Unauthorized)]
    [TestCase("X-Api-Key", "wrong-key", HttpStatusCode.Unauthorized)]
    [TestCase("X-Api-Key", "reader-key", HttpStatusCode.OK)]
    [TestCase("Authorization", "Bearer reader-key", HttpStatusCode.OK)]
    public async Task Should_authenticate_reads_by_the_configured_keys(string? header, string? value, HttpStatusCode expected)
    {
        using var client = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/jobs");
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }
        Assert.That((await client.SendAsync(request)).StatusCode, Is.EqualTo(expected));
    }

    [Test]
    public async Task Should_refuse_a_submission_with_a_read_only_key()
    {
        using var client = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/answers") { Content = JsonContent.Create(new { question = "why?" }) };
        request.Headers.Add("X-Api-Key", "reader-key");
        Assert.That((await client.SendAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
