using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Platform.Data;
using Platform.Search.Graph;
using Platform.Tests.Support;

namespace Platform.Tests.Ai;

/// <summary>
/// GET /documents/{id}/entities and GET /graph/entities without a query, over HTTP on a real database (a SQLite file, a fresh
/// PostgreSQL database): a document's entities most mentioned first, 404 problem+json for a document the tenant does not have.
/// </summary>
[TestFixture("Sqlite")]
[TestFixture("PostgreSql")]
[Category("Integration")]
public sealed class GraphEndpointTests(string provider)
{
    private PostgresDatabase? _postgres;
    private ApiOnlyFactory _api = null!;
    private PlatformClient _acme = null!;
    private PlatformClient _globex = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        var settings = new Dictionary<string, string?>();
        if (provider == "PostgreSql")
        {
            _postgres = await PostgresDatabase.CreateAsync();
            settings["Database:Provider"] = "PostgreSql";
            settings["Database:ConnectionString"] = _postgres.ConnectionString;
        }
        _api = new ApiOnlyFactory(settings);
        _acme = _api.ClientFor(ApiFactory.AcmeKey);
        _globex = _api.ClientFor(ApiFactory.GlobexKey);
        await _acme.GetJsonAsync("api/v1/jobs"); // started and migrated
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _api.DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    private async Task<Guid> DocumentWithGraphAsync(string tenant, params (string Name, int Chunks)[] entities)
    {
        var document = await _api.Services.GetRequiredService<DocumentStore>().CreateAsync(new Document
        {
            Id = Guid.CreateVersion7(), TenantId = tenant, FileName = "nginx-NEWS.Debian.txt", ContentType = "text/plain", SizeBytes = 1,
            Sha256 = Guid.NewGuid().ToString("N"), BlobKey = $"uploads/{tenant}/x",
        });
        var chunks = Enumerable.Range(0, entities.Max(e => e.Chunks)).Select(i => new ChunkGraph(Guid.NewGuid(), document.Id,
            entities.Where(e => e.Chunks > i).Select(e => new GraphEntity(GraphEntity.KeyOf(e.Name), e.Name, "term")).ToList(), [])).ToList();
        await _api.Services.GetRequiredService<IGraphStore>().ReplaceDocumentAsync(tenant, document.Id, chunks);
        return document.Id;
    }

    [Test]
    public async Task Should_list_a_documents_entities_most_mentioned_first()
    {
        var id = await DocumentWithGraphAsync("acme", ("Debian", 2), ("nginx", 5), ("POODLE", 1));

        var body = await _acme.GetJsonAsync($"api/v1/documents/{id}/entities");
        Assert.That(body.GetProperty("fileName").GetString(), Is.EqualTo("nginx-NEWS.Debian.txt"));
        var entities = body.GetProperty("entities").EnumerateArray().ToList();
        Assert.That(entities.Select(e => (e.GetProperty("name").GetString(), e.GetProperty("chunks").GetInt32())),
            Is.EqualTo(new (string?, int)[] { ("nginx", 5), ("Debian", 2), ("POODLE", 1) }));
        Assert.That((await _acme.GetJsonAsync($"api/v1/documents/{id}/entities?limit=1")).GetProperty("entities").GetArrayLength(), Is.EqualTo(1));
    }

    [Test]
    public async Task Should_answer_404_problem_json_for_an_unknown_or_another_tenants_document()
    {
        var acmeDocument = await DocumentWithGraphAsync("acme", ("Secret Project", 2));

        foreach (var (client, id) in new[] { (_acme, Guid.NewGuid()), (_globex, acmeDocument) })
        {
            var response = await client.Http.GetAsync($"api/v1/documents/{id}/entities");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString(),
                Does.Contain(id.ToString()));
        }
        var badLimit = await _acme.Http.GetAsync($"api/v1/documents/{acmeDocument}/entities?limit=0");
        Assert.That(badLimit.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await badLimit.Content.ReadAsStringAsync(), Does.Contain("limit"));
    }

    [TestCase("neighbours", 0)]
    [TestCase("neighbours", 501)]
    [TestCase("chunks", 0)]
    [TestCase("chunks", 501)]
    public async Task Should_refuse_a_limit_out_of_range_with_a_problem_naming_it(string list, int limit)
    {
        await DocumentWithGraphAsync("acme", ("Acme Rocket", 3));

        var response = await _acme.Http.GetAsync($"api/v1/graph/entities/acme%20rocket/{list}?limit={limit}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("limit", out _));
        Assert.That((await _acme.Http.GetAsync($"api/v1/graph/entities/acme%20rocket/{list}?limit=500")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Should_browse_each_tenants_top_entities_without_a_query()
    {
        await DocumentWithGraphAsync("globex", ("Globex Widget", 7));
        await DocumentWithGraphAsync("acme", ("Acme Rocket", 9));

        var globex = (await _globex.GetJsonAsync("api/v1/graph/entities?limit=5")).EnumerateArray().ToList();
        Assert.That(globex.Select(e => e.GetProperty("key").GetString()), Does.Contain("globex widget").And.No.EqualTo("acme rocket"));
        Assert.That(globex[0].GetProperty("key").GetString(), Is.EqualTo("globex widget"));
        Assert.That(globex[0].GetProperty("chunks").GetInt32(), Is.EqualTo(7));
        var acme = (await _acme.GetJsonAsync("api/v1/graph/entities")).EnumerateArray().Select(e => e.GetProperty("key").GetString()).ToList();
        Assert.That(acme, Does.Contain("acme rocket").And.No.EqualTo("globex widget"));
    }
}
