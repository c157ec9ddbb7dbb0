using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Platform.Tests.Support;

namespace Platform.Tests.Ai;

/// <summary>The API process on embedded defaults: tags given at upload filter search; the knowledge graph is queryable.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class AiApiTests
{
    private string _work = null!;
    private HostProcess _api = null!;
    private PlatformClient _client = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _work = Directory.CreateTempSubdirectory("platform-ai-api-").FullName;
        _api = await HostProcess.StartAsync(HostProcess.Standalone, new Dictionary<string, string>(), _work);
        _client = new PlatformClient(new HttpClient { BaseAddress = _api.BaseAddress });
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _api.DisposeAsync();
        TestFolders.Delete(_work);
    }

    private async Task<JsonElement> UploadAsync(string name, string text, string? tags)
    {
        using var form = new MultipartFormDataContent();
        if (tags is not null)
        {
            form.Add(new StringContent(tags), "tags");
        }
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/markdown");
        form.Add(file, "file", name);
        var response = await _client.Http.PostAsync("api/v1/documents", form);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var accepted = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        await _client.WaitForSuccessAsync(accepted.GetGuid("jobId"));
        return accepted;
    }

    [Test]
    public async Task Should_filter_search_by_tags_given_at_upload()
    {
        var finance = await UploadAsync("finance.md", "# Report\n\nStorage revenue grew in the third quarter.\n", "Finance, Q3");
        await UploadAsync("legal.md", "# Contract\n\nStorage revenue is shared with the partner.\n", "legal");

        var hits = (await _client.PostJsonAsync("api/v1/search", new { query = "storage revenue", tags = new[] { "finance" } }, HttpStatusCode.OK))
            .GetProperty("hits").EnumerateArray().ToList();

        Assert.That(hits, Is.Not.Empty);
        Assert.That(hits.Select(h => h.GetGuid("documentId")), Is.All.EqualTo(finance.GetGuid("documentId")));
        Assert.That(hits[0].GetProperty("score").GetDouble(), Is.GreaterThan(0));
    }

    [Test]
    public async Task Should_look_up_an_entity_with_its_neighbours_and_mentioning_chunks()
    {
        var doc = await UploadAsync("architecture.md",
            "# Architecture\n\nThe Job Runner keeps state in PostgreSQL. The Job Runner publishes progress to Redis.\n\n" +
            "Redis holds the streams; PostgreSQL holds the rows. The Scheduler is mentioned once.\n", null);

        // Extraction follows embedding asynchronously: wait for the entity to appear.
        JsonElement entity = default;
        for (var i = 0; i < 120; i++)
        {
            var response = await _client.Http.GetAsync("api/v1/graph/entities/job%20runner");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                entity = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
                break;
            }
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            await Task.Delay(250);
        }
        Assert.That(entity.ValueKind, Is.EqualTo(JsonValueKind.Object), "the entity was never extracted");
        Assert.That(entity.GetProperty("name").GetString(), Is.EqualTo("Job Runner"));
        var neighbours = entity.GetProperty("neighbours").EnumerateArray().Select(n => n.GetProperty("key").GetString()).ToList();
        Assert.That(neighbours, Is.SupersetOf(new[] { "postgresql", "redis" }));
        var mention = entity.GetProperty("mentions")[0];
        Assert.That(mention.GetGuid("documentId"), Is.EqualTo(doc.GetGuid("documentId")));
        Assert.That(mention.GetProperty("snippet").GetString(), Does.Contain("Job Runner"));

        var found = await _client.GetJsonAsync("api/v1/graph/entities?q=post");
        Assert.That(found.EnumerateArray().Select(e => e.GetProperty("key").GetString()), Does.Contain("postgresql"));
        var chunks = await _client.GetJsonAsync("api/v1/graph/entities/redis/chunks");
        Assert.That(chunks.GetArrayLength(), Is.EqualTo(1));
        Assert.That((await _client.Http.GetAsync("api/v1/graph/entities/nobody")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        var listed = (await _client.GetJsonAsync($"api/v1/documents/{doc.GetGuid("documentId")}/entities")).GetProperty("entities")
            .EnumerateArray().Select(e => e.GetProperty("key").GetString()).ToList();
        Assert.That(listed, Is.SupersetOf(new[] { "job runner", "postgresql", "redis" }));
        Assert.That(listed, Does.Not.Contain("scheduler"), "mentioned once: below Graph:MinMentions (2)");
    }
}
