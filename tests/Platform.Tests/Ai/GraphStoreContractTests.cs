using Microsoft.Extensions.Options;
using Platform.Search.Graph;

namespace Platform.Tests.Ai;

/// <summary>One contract for the graph stores: SQL on both databases, and Neo4j when PLATFORM_LIVE_NEO4J_URL points at one.</summary>
[TestFixture("Sqlite")]
[TestFixture("PostgreSql")]
[TestFixture("Neo4j")]
[Category("Integration")]
public sealed class GraphStoreContractTests(string kind)
{
    private SearchHarness? _harness;
    private HttpClient? _http;
    private IGraphStore _store = null!;
    private string _tenant = null!;

    [SetUp]
    public async Task Create()
    {
        _tenant = $"t{Guid.NewGuid():N}"; // Neo4j is shared between runs: a fresh tenant keeps them apart
        if (kind == "Neo4j")
        {
            var url = Environment.GetEnvironmentVariable("PLATFORM_LIVE_NEO4J_URL");
            if (string.IsNullOrEmpty(url))
            {
                Assert.Ignore("Set PLATFORM_LIVE_NEO4J_URL (and PLATFORM_LIVE_NEO4J_USER/PASSWORD) to run against a real Neo4j.");
            }
            var options = new GraphOptions
            {
                Store = "Neo4j", Neo4jUrl = url, Neo4jUser = Environment.GetEnvironmentVariable("PLATFORM_LIVE_NEO4J_USER"),
                Neo4jPassword = Environment.GetEnvironmentVariable("PLATFORM_LIVE_NEO4J_PASSWORD"),
            };
            _http = new HttpClient();
            Neo4jGraphStore.Configure(_http, options);
            _store = new Neo4jGraphStore(_http, Options.Create(options));
            return;
        }
        _harness = await SearchHarness.CreateAsync(kind);
        _store = new SqlGraphStore(_harness.Db);
    }

    [TearDown]
    public async Task Drop()
    {
        _http?.Dispose();
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    private static GraphEntity E(string name) => new(GraphEntity.KeyOf(name), name, "term");

    [Test]
    public async Task Should_look_up_an_entity_its_neighbours_and_the_chunks_that_mention_it()
    {
        var doc = Guid.NewGuid();
        var (c1, c2) = (Guid.NewGuid(), Guid.NewGuid());
        await _store.ReplaceDocumentAsync(_tenant, doc,
        [
            new ChunkGraph(c1, doc, [E("Job Runner"), E("PostgreSQL")], [new GraphRelation("job runner", "postgresql", "co_occurs")]),
            new ChunkGraph(c2, doc, [E("PostgreSQL"), E("Redis"), E("Job Runner")],
                [new GraphRelation("job runner", "postgresql", "co_occurs"), new GraphRelation("postgresql", "redis", "co_occurs")]),
        ]);

        Assert.That(await _store.GetAsync(_tenant, "  POSTGRESQL "), Is.EqualTo(E("PostgreSQL")));
        var neighbours = await _store.NeighboursAsync(_tenant, "PostgreSQL", 10);
        Assert.That(neighbours.Select(n => (n.Entity.Key, n.Weight)), Is.EqualTo(new[] { ("job runner", 2), ("redis", 1) }));
        Assert.That((await _store.MentionsAsync(_tenant, "postgresql", 10)).Select(m => m.ChunkId), Is.EquivalentTo(new[] { c1, c2 }));
        Assert.That((await _store.FindAsync(_tenant, "Jo", 10)).Select(e => e.Name), Is.EqualTo(new[] { "Job Runner" }));
    }

    [Test]
    public async Task Should_replace_a_documents_part_of_the_graph_on_re_extraction()
    {
        var doc = Guid.NewGuid();
        var chunk = Guid.NewGuid();
        var graph = new ChunkGraph(chunk, doc, [E("Alpha"), E("Beta")], [new GraphRelation("alpha", "beta", "co_occurs")]);
        await _store.ReplaceDocumentAsync(_tenant, doc, [graph]);
        await _store.ReplaceDocumentAsync(_tenant, doc, [graph]);
        Assert.That((await _store.NeighboursAsync(_tenant, "alpha", 10)).Single().Weight, Is.EqualTo(1), "no duplicates");

        await _store.ReplaceDocumentAsync(_tenant, doc, [new ChunkGraph(chunk, doc, [E("Alpha")], [])]);
        Assert.That(await _store.NeighboursAsync(_tenant, "alpha", 10), Is.Empty);
        Assert.That(await _store.MentionsAsync(_tenant, "beta", 10), Is.Empty);
    }

    [Test]
    public async Task Should_keep_tenants_apart()
    {
        var doc = Guid.NewGuid();
        await _store.ReplaceDocumentAsync(_tenant, doc, [new ChunkGraph(Guid.NewGuid(), doc, [E("Secret Project")], [])]);
        var other = _tenant + "-other";
        Assert.That(await _store.GetAsync(other, "secret project"), Is.Null);
        Assert.That(await _store.FindAsync(other, "secret", 10), Is.Empty);
        Assert.That(await _store.MentionsAsync(other, "secret project", 10), Is.Empty);
        Assert.That(await _store.DocumentEntitiesAsync(other, doc, 10), Is.Empty);
        Assert.That(await _store.TopEntitiesAsync(other, 10), Is.Empty);
        Assert.That((await _store.TopEntitiesAsync(_tenant, 10)).Select(e => e.Key), Is.EqualTo(new[] { "secret project" }));
    }

    [Test]
    public async Task Should_list_a_documents_entities_most_mentioned_first()
    {
        var (doc, otherDoc) = (Guid.NewGuid(), Guid.NewGuid());
        await _store.ReplaceDocumentAsync(_tenant, doc,
        [
            new ChunkGraph(Guid.NewGuid(), doc, [E("Nginx"), E("Debian")], []),
            new ChunkGraph(Guid.NewGuid(), doc, [E("Nginx")], []),
            new ChunkGraph(Guid.NewGuid(), doc, [E("Nginx"), E("Apache")], []),
        ]);
        await _store.ReplaceDocumentAsync(_tenant, otherDoc, [new ChunkGraph(Guid.NewGuid(), otherDoc, [E("Redis"), E("Debian")], [])]);

        var listed = await _store.DocumentEntitiesAsync(_tenant, doc, 10);
        Assert.That(listed.Select(e => (e.Name, e.Chunks)), Is.EqualTo(new[] { ("Nginx", 3), ("Apache", 1), ("Debian", 1) }));
        Assert.That((await _store.DocumentEntitiesAsync(_tenant, doc, 1)).Single().Key, Is.EqualTo("nginx"), "limited");
        Assert.That(await _store.DocumentEntitiesAsync(_tenant, Guid.NewGuid(), 10), Is.Empty);
    }

    [Test]
    public async Task Should_browse_the_most_mentioned_entities_without_a_query()
    {
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        await _store.ReplaceDocumentAsync(_tenant, a,
            [new ChunkGraph(Guid.NewGuid(), a, [E("Debian"), E("Nginx")], []), new ChunkGraph(Guid.NewGuid(), a, [E("Debian")], [])]);
        await _store.ReplaceDocumentAsync(_tenant, b, [new ChunkGraph(Guid.NewGuid(), b, [E("Debian"), E("Zstd")], [])]);

        var top = await _store.TopEntitiesAsync(_tenant, 2);
        Assert.That(top.Select(e => (e.Key, e.Chunks, e.Documents)), Is.EqualTo(new[] { ("debian", 3, 2), ("nginx", 1, 1) }));
    }
}
