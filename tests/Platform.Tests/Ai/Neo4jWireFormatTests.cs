using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Platform.Search.Graph;

namespace Platform.Tests.Ai;

/// <summary>
/// The Neo4j store against a loopback server answering as the HTTP API documents <c>POST /db/{db}/tx/commit</c>:
/// <c>{"results":[{"columns":[…],"data":[{"row":[…],"meta":[…]}]}],"errors":[]}</c>, with errors reported in a 200 body.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class Neo4jWireFormatTests
{
    private readonly ConcurrentQueue<(string Path, string? Auth, JsonNode Body)> _requests = new();
    private Func<JsonNode, JsonNode> _respond = _ => new JsonObject();

    [SetUp]
    public void Reset() => _requests.Clear(); // NUnit shares the fixture instance between tests

    private async Task<(LoopbackServer Server, Neo4jGraphStore Store, HttpClient Http)> StartAsync()
    {
        var server = await LoopbackServer.StartAsync(app => app.MapPost("/db/{db}/tx/commit", async (HttpContext http) =>
        {
            var body = (await JsonNode.ParseAsync(http.Request.Body))!;
            _requests.Enqueue((http.Request.Path, http.Request.Headers.Authorization.ToString(), body));
            await http.Response.WriteAsJsonAsync(_respond(body));
        }));
        var options = new GraphOptions { Store = "Neo4j", Neo4jUrl = server.Address.ToString(), Neo4jDatabase = "graphs", Neo4jUser = "neo4j", Neo4jPassword = "pw" };
        var http = new HttpClient();
        Neo4jGraphStore.Configure(http, options);
        return (server, new Neo4jGraphStore(http, Options.Create(options)), http);
    }

    private static JsonObject Rows(params JsonArray[] rows) => new()
    {
        ["results"] = new JsonArray(new JsonObject
        {
            ["columns"] = new JsonArray("a", "b"),
            ["data"] = new JsonArray(rows.Select(r => (JsonNode)new JsonObject { ["row"] = r, ["meta"] = new JsonArray() }).ToArray()),
        }),
        ["errors"] = new JsonArray(),
    };

    [Test]
    public async Task Should_write_a_document_as_parameterised_statements_in_one_commit_request()
    {
        _respond = body => new JsonObject
        {
            ["results"] = new JsonArray(body["statements"]!.AsArray().Select(_ => (JsonNode)new JsonObject { ["columns"] = new JsonArray(), ["data"] = new JsonArray() }).ToArray()),
            ["errors"] = new JsonArray(),
        };
        var (server, store, http) = await StartAsync();
        await using var _ = server;
        using var __ = http;
        var doc = Guid.NewGuid();
        var chunk = Guid.NewGuid();

        await store.ReplaceDocumentAsync("acme", doc, [new ChunkGraph(chunk, doc,
            [new GraphEntity("job runner", "Job Runner", "term"), new GraphEntity("postgresql", "PostgreSQL", "term")],
            [new GraphRelation("job runner", "postgresql", "co_occurs")])]);

        var (path, auth, body) = _requests.Single();
        Assert.That(path, Is.EqualTo("/db/graphs/tx/commit"));
        Assert.That(auth, Is.EqualTo("Basic " + Convert.ToBase64String("neo4j:pw"u8.ToArray())));
        var statements = body["statements"]!.AsArray();
        Assert.That(statements, Has.Count.EqualTo(5));
        Assert.That(statements.All(s => s!["parameters"]!["tenant"]!.GetValue<string>() == "acme"), Is.True, "every statement is tenant-scoped");
        Assert.That(statements[0]!["statement"]!.GetValue<string>(), Does.Contain("DETACH DELETE"));
        foreach (var delete in statements.Take(2))
        {
            // Without the document in the match a re-extraction would delete every chunk and relation of the tenant.
            Assert.That(delete!["statement"]!.GetValue<string>(), Does.Contain("documentId: $doc"), "only this document's graph is replaced");
            Assert.That(delete["parameters"]!["doc"]!.GetValue<string>(), Is.EqualTo(doc.ToString()));
        }
        Assert.That(statements[2]!["parameters"]!["entities"]!.AsArray().Select(e => e!["key"]!.GetValue<string>()),
            Is.EqualTo(new[] { "job runner", "postgresql" }));
        Assert.That(statements[4]!["parameters"]!["relations"]![0]!["chunkId"]!.GetValue<string>(), Is.EqualTo(chunk.ToString()));
    }

    [Test]
    public async Task Should_read_rows_of_neighbours_and_mentions()
    {
        var (server, store, http) = await StartAsync();
        await using var _ = server;
        using var __ = http;
        var chunk = Guid.NewGuid();
        var doc = Guid.NewGuid();

        _respond = _ => Rows(new JsonArray("redis", "Redis", "term", "co_occurs", 3));
        var neighbours = await store.NeighboursAsync("acme", "PostgreSQL", 10);
        Assert.That(neighbours.Single(), Is.EqualTo(new GraphNeighbour(new GraphEntity("redis", "Redis", "term"), "co_occurs", 3)));
        Assert.That(_requests.Last().Body["statements"]![0]!["parameters"]!["key"]!.GetValue<string>(), Is.EqualTo("postgresql"));

        _respond = _ => Rows(new JsonArray(chunk.ToString(), doc.ToString()));
        Assert.That((await store.MentionsAsync("acme", "redis", 10)).Single(), Is.EqualTo(new GraphMention(chunk, doc)));

        _respond = _ => Rows();
        Assert.That(await store.GetAsync("acme", "nobody"), Is.Null);
    }

    [Test]
    public async Task Should_list_a_documents_entities_and_the_top_entities_from_rows()
    {
        var (server, store, http) = await StartAsync();
        await using var _ = server;
        using var __ = http;
        var doc = Guid.NewGuid();

        _respond = _ => Rows(new JsonArray("nginx", "nginx", "term", 8, 1), new JsonArray("debian", "Debian", "term", 5, 1));
        var listed = await store.DocumentEntitiesAsync("acme", doc, 30);
        Assert.That(listed, Is.EqualTo(new[] { new RankedEntity("nginx", "nginx", "term", 8, 1), new RankedEntity("debian", "Debian", "term", 5, 1) }));
        var statement = _requests.Last().Body["statements"]![0]!;
        Assert.That(statement["statement"]!.GetValue<string>(), Does.Contain("documentId: $doc").And.Contain("ORDER BY chunks DESC"));
        Assert.That(statement["parameters"]!["doc"]!.GetValue<string>(), Is.EqualTo(doc.ToString()));
        Assert.That(statement["parameters"]!["tenant"]!.GetValue<string>(), Is.EqualTo("acme"));
        Assert.That(statement["parameters"]!["limit"]!.GetValue<int>(), Is.EqualTo(30));

        _respond = _ => Rows(new JsonArray("debian", "Debian", "term", 12, 4));
        Assert.That((await store.TopEntitiesAsync("acme", 5)).Single(), Is.EqualTo(new RankedEntity("debian", "Debian", "term", 12, 4)));
        Assert.That(_requests.Last().Body["statements"]![0]!["parameters"]!["tenant"]!.GetValue<string>(), Is.EqualTo("acme"));
    }

    [Test]
    public async Task Should_fail_when_the_200_response_carries_errors()
    {
        _respond = _ => new JsonObject
        {
            ["results"] = new JsonArray(),
            ["errors"] = new JsonArray(new JsonObject { ["code"] = "Neo.ClientError.Statement.SyntaxError", ["message"] = "Invalid input" }),
        };
        var (server, store, http) = await StartAsync();
        await using var _ = server;
        using var __ = http;
        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => store.GetAsync("acme", "x"));
        Assert.That(ex!.Message, Does.Contain("Neo.ClientError.Statement.SyntaxError"));
    }
}
