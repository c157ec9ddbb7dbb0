using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Platform.Tests.Support;

namespace Platform.Tests.Documents;

/// <summary>GET /api/v1/documents: newest first, a cursor to the next page, filters by tag, status and name.</summary>
[TestFixture]
[Category("Integration")]
public sealed class DocumentListTests
{
    private ApiFactory _api = null!;
    private PlatformClient _acme = null!;
    private readonly List<Guid> _uploaded = [];

    [OneTimeSetUp]
    public async Task Start()
    {
        _api = new ApiFactory();
        _acme = _api.ClientFor(ApiFactory.AcmeKey);
        // Five documents, oldest first; the third and fifth carry the tag "contract".
        for (var i = 1; i <= 5; i++)
        {
            using var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(Encoding.UTF8.GetBytes($"# Report {i}\n\nQuarter {i} figures, unique words delta{i}."));
            file.Headers.ContentType = new MediaTypeHeaderValue("text/markdown");
            var response = await _acme.Http.PostAsync(i % 2 == 1 && i > 1 ? "api/v1/documents?tags=Contract" : "api/v1/documents",
                new MultipartFormDataContent { { file, "file", i == 4 ? $"Annual-REPORT-{i}.md" : $"notes-{i}.md" } });
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            var accepted = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            _uploaded.Add(accepted.GetGuid("documentId"));
            await _acme.WaitForSuccessAsync(accepted.GetGuid("jobId"));
        }
        await _api.ClientFor(ApiFactory.GlobexKey).UploadTextAsync("globex.md", "# Other tenant\n\nNot acme's.");
    }

    [OneTimeTearDown]
    public async Task Stop() => await _api.DisposeAsync();

    private async Task<List<Guid>> IdsAsync(string query) =>
        (await _acme.GetJsonAsync($"api/v1/documents{query}")).GetProperty("items").EnumerateArray().Select(d => d.GetGuid("id")).ToList();

    [Test]
    public async Task Should_page_newest_first_with_a_cursor_until_the_last_page()
    {
        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await _acme.GetJsonAsync($"api/v1/documents?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}");
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(d => d.GetGuid("id")));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        } while (cursor is not null && pages < 10);

        Assert.That(pages, Is.EqualTo(3));
        Assert.That(seen, Is.EqualTo(Enumerable.Reverse(_uploaded).ToList()), "every acme document once, newest first, no other tenant's");
    }

    [Test]
    public async Task Should_keep_the_next_page_stable_when_a_newer_document_arrives()
    {
        var first = await _acme.GetJsonAsync("api/v1/documents?limit=2");
        var late = await _acme.UploadTextAsync($"late-{Guid.NewGuid():N}.md", $"# Late\n\nArrived between pages {Guid.NewGuid():N}.");
        try
        {
            var second = await IdsAsync($"?limit=2&cursor={first.GetProperty("nextCursor").GetString()}");

            Assert.That(second, Is.EqualTo(new[] { _uploaded[2], _uploaded[1] }), "an offset would have shifted by one");
        }
        finally
        {
            var deleted = await _api.ClientFor(ApiFactory.CleanerKey).Http.DeleteAsync($"api/v1/documents/{late.GetGuid("documentId")}");
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }
    }

    [Test]
    public async Task Should_filter_by_tag_status_and_name()
    {
        Assert.That(await IdsAsync("?tag=contract"), Is.EqualTo(new[] { _uploaded[4], _uploaded[2] }));
        Assert.That(await IdsAsync("?name=annual-report"), Is.EqualTo(new[] { _uploaded[3] }), "name matches any case");
        Assert.That(await IdsAsync("?name=report&tag=contract"), Is.Empty);
        Assert.That(await IdsAsync("?status=failed"), Is.Empty);
        Assert.That(await IdsAsync("?status=indexed&tag=contract"), Is.EqualTo(new[] { _uploaded[4], _uploaded[2] }));
    }

    [TestCase("limit=0", "limit", "Between 1 and 200")]
    [TestCase("limit=201", "limit", "Between 1 and 200")]
    [TestCase("status=deleted", "status", "uploaded, parsed, indexed, failed")]
    [TestCase("cursor=not-a-cursor", "cursor", "nextCursor")]
    public async Task Should_name_the_bad_parameter_and_what_is_allowed(string query, string field, string allowed)
    {
        var response = await _acme.Http.GetAsync($"api/v1/documents?{query}");
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        Assert.That(errors.GetProperty(field)[0].GetString(), Does.Contain(allowed));
    }
}
