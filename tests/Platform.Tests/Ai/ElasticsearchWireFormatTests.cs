using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Platform.Search;

namespace Platform.Tests.Ai;

/// <summary>
/// The Elasticsearch index against a loopback server answering as the REST API documents: index creation (PUT with
/// mappings), <c>_bulk</c> NDJSON with <c>{"errors":false,"items":[…]}</c>, and <c>_search</c> with
/// <c>{"hits":{"total":…,"hits":[{"_id":…,"_score":…}]}}</c> for both BM25 match and top-level knn.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class ElasticsearchWireFormatTests
{
    private readonly ConcurrentQueue<(string Method, string Path, string Body)> _requests = new();
    private readonly BuiltInEmbedder _embedder = new(Options.Create(new EmbeddingOptions { Dimensions = 32 }));
    private bool _exists;
    private bool _rejectBulk;
    private LoopbackServer _server = null!;
    private HttpClient _http = null!;
    private ElasticsearchIndex _index = null!;
    private readonly Guid _hit = Guid.NewGuid();

    [SetUp]
    public async Task Start()
    {
        _requests.Clear();
        _exists = false;
        _rejectBulk = false;
        _server = await LoopbackServer.StartAsync(app =>
        {
            app.MapMethods("/{index}", ["HEAD"], (HttpContext http) =>
            {
                _requests.Enqueue(("HEAD", http.Request.Path, ""));
                return _exists ? Results.Ok() : Results.NotFound();
            });
            app.MapPut("/{index}", async (HttpContext http) =>
            {
                _requests.Enqueue(("PUT", http.Request.Path, await new StreamReader(http.Request.Body).ReadToEndAsync()));
                _exists = true;
                return Results.Json(new { acknowledged = true, shards_acknowledged = true, index = "platform-test" });
            });
            app.MapPost("/{index}/_bulk", async (HttpContext http) =>
            {
                var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
                _requests.Enqueue(("POST", http.Request.Path + http.Request.QueryString, body));
                var items = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where((_, i) => i % 2 == 0)
                    .Select(l => (JsonNode)new JsonObject { ["index"] = new JsonObject
                    {
                        ["_index"] = "platform-test", ["_id"] = JsonNode.Parse(l)!["index"]!["_id"]!.GetValue<string>(), ["result"] = "created", ["status"] = 201,
                    } }).ToArray();
                if (_rejectBulk)
                {
                    return Results.Json(JsonNode.Parse(
                        """{"took":1,"errors":true,"items":[{"index":{"_id":"1","status":400,"error":{"type":"mapper_parsing_exception","reason":"bad"}}}]}"""));
                }
                return Results.Json(new JsonObject { ["took"] = 3, ["errors"] = false, ["items"] = new JsonArray(items) });
            });
            app.MapPost("/{index}/_search", async (HttpContext http) =>
            {
                _requests.Enqueue(("POST", http.Request.Path, await new StreamReader(http.Request.Body).ReadToEndAsync()));
                return Results.Json(JsonNode.Parse($$$"""
                    {"took":2,"timed_out":false,"_shards":{"total":1,"successful":1,"skipped":0,"failed":0},
                     "hits":{"total":{"value":1,"relation":"eq"},"max_score":1.25,
                       "hits":[{"_index":"platform-test","_id":"{{{_hit}}}","_score":1.25,"_source":{"chunk_id":"{{{_hit}}}"}}]}}
                    """));
            });
        });
        var options = new SearchOptions { Backend = "Elasticsearch", ElasticsearchUrl = _server.Address.ToString(), ElasticsearchIndex = "platform-test" };
        _http = new HttpClient();
        ElasticsearchIndex.Configure(_http, options);
        _index = new ElasticsearchIndex(_http, Options.Create(options), _embedder);
    }

    [TearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task Should_create_the_index_with_a_cosine_dense_vector_and_bulk_index_chunks_as_ndjson()
    {
        var chunk = new IndexedChunk(Guid.NewGuid(), Guid.NewGuid(), "北京 京大 大学 search", _embedder.Embed("北京大学 search"));
        await _index.IndexAsync("acme", [chunk]);

        var put = _requests.Single(r => r.Method == "PUT");
        var mapping = JsonNode.Parse(put.Body)!["mappings"]!["properties"]!;
        Assert.That(mapping["embedding"]!["type"]!.GetValue<string>(), Is.EqualTo("dense_vector"));
        Assert.That(mapping["embedding"]!["dims"]!.GetValue<int>(), Is.EqualTo(32));
        Assert.That(mapping["embedding"]!["similarity"]!.GetValue<string>(), Is.EqualTo("cosine"));
        Assert.That(mapping["tenant_id"]!["type"]!.GetValue<string>(), Is.EqualTo("keyword"));

        var bulk = _requests.Single(r => r.Path.Contains("_bulk"));
        Assert.That(bulk.Path, Is.EqualTo("/platform-test/_bulk?refresh=wait_for"));
        var lines = bulk.Body.Split('\n');
        Assert.That(lines[^1], Is.Empty, "NDJSON ends with a newline");
        Assert.That(JsonNode.Parse(lines[0])!["index"]!["_id"]!.GetValue<string>(), Is.EqualTo(chunk.ChunkId.ToString()));
        var source = JsonNode.Parse(lines[1])!;
        Assert.That(source["tenant_id"]!.GetValue<string>(), Is.EqualTo("acme"));
        Assert.That(source["search_text"]!.GetValue<string>(), Is.EqualTo(chunk.SearchText));
        Assert.That(source["embedding"]!.AsArray(), Has.Count.EqualTo(32));
    }

    [Test]
    public async Task Should_search_bm25_and_knn_inside_the_tenant_and_document_filter_and_read_the_hits()
    {
        _exists = true;
        var doc = Guid.NewGuid();
        var keyword = await _index.KeywordAsync("acme", ["北京", "大学"], [doc], 20);
        var vector = await _index.VectorAsync("acme", _embedder.Embed("北京大学"), [doc], 20);

        Assert.That(keyword.Single(), Is.EqualTo((_hit, 1.25)));
        Assert.That(vector.Single(), Is.EqualTo((_hit, 1.25)));
        var searches = _requests.Where(r => r.Path.EndsWith("_search")).Select(r => JsonNode.Parse(r.Body)!).ToList();
        var match = searches[0]["query"]!["bool"]!;
        Assert.That(match["must"]!["match"]!["search_text"]!.GetValue<string>(), Is.EqualTo("北京 大学"));
        Assert.That(match["filter"]![0]!["term"]!["tenant_id"]!.GetValue<string>(), Is.EqualTo("acme"));
        Assert.That(match["filter"]![2]!["terms"]!["document_id"]![0]!.GetValue<string>(), Is.EqualTo(doc.ToString()));
        var knn = searches[1]["knn"]!;
        Assert.That(knn["field"]!.GetValue<string>(), Is.EqualTo("embedding"));
        Assert.That(knn["k"]!.GetValue<int>(), Is.EqualTo(20));
        Assert.That(knn["num_candidates"]!.GetValue<int>(), Is.GreaterThanOrEqualTo(20));
        Assert.That(knn["query_vector"]!.AsArray(), Has.Count.EqualTo(32));
        Assert.That(knn["filter"]!["bool"]!["filter"]![0]!["term"]!["tenant_id"]!.GetValue<string>(), Is.EqualTo("acme"),
            "the tenant filter applies during the kNN search, not after it");
    }

    [Test]
    public void Should_fail_when_a_bulk_item_is_rejected()
    {
        _exists = true;
        _rejectBulk = true;
        var chunk = new IndexedChunk(Guid.NewGuid(), Guid.NewGuid(), "x", _embedder.Embed("x"));
        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => _index.IndexAsync("acme", [chunk]));
        Assert.That(ex!.Message, Does.Contain("mapper_parsing_exception"));
    }
}
