using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Platform.Search;

namespace Platform.Tests.Ai;

/// <summary>
/// What the official client (Elastic.Clients.Elasticsearch) puts on the wire for the index, read off the in-process server
/// of the documented format: index creation with mappings, <c>_bulk</c> NDJSON keyed by chunk id, <c>_search</c> with a BM25
/// match or a top-level knn inside the tenant filter, <c>_delete_by_query</c>, and the refresh each write asks for.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class ElasticsearchWireFormatTests
{
    private readonly BuiltInEmbedder _embedder = new(Options.Create(new EmbeddingOptions { Dimensions = 32 }));
    private FakeElasticsearch _server = null!;
    private ElasticsearchIndex _index = null!;

    [SetUp]
    public async Task Start()
    {
        _server = await FakeElasticsearch.StartAsync();
        var options = new SearchOptions { Backend = "Elasticsearch", ElasticsearchUrl = _server.Address.ToString(), ElasticsearchIndex = "platform-test" };
        _index = new ElasticsearchIndex(ElasticsearchIndex.CreateClient(options), Options.Create(options), _embedder);
    }

    [TearDown]
    public async Task Stop() => await _server.DisposeAsync();

    private (string Method, string Path, string? ContentType, string Accept, string Body) Request(string pathPart) =>
        _server.Requests.Single(r => r.Path.Contains(pathPart, StringComparison.Ordinal));

    [Test]
    public async Task Should_create_the_index_with_a_cosine_dense_vector_and_bulk_index_chunks_as_ndjson()
    {
        var chunk = new IndexedChunk(Guid.NewGuid(), Guid.NewGuid(), "北京 京大 大学 search", _embedder.Embed("北京大学 search"));
        await _index.IndexAsync("acme", [chunk]);

        Assert.That(_server.Requests.Select(r => $"{r.Method} {r.Path}"),
            Is.EqualTo(new[] { "HEAD /platform-test", "PUT /platform-test", "POST /platform-test/_bulk?refresh=wait_for" }));
        var mapping = JsonNode.Parse(_server.Requests.Single(r => r.Method == "PUT").Body)!["mappings"]!["properties"]!;
        Assert.That(mapping["embedding"]!["type"]!.GetValue<string>(), Is.EqualTo("dense_vector"));
        Assert.That(mapping["embedding"]!["dims"]!.GetValue<int>(), Is.EqualTo(32));
        Assert.That(mapping["embedding"]!["similarity"]!.GetValue<string>(), Is.EqualTo("cosine"));
        Assert.That(mapping["tenant_id"]!["type"]!.GetValue<string>(), Is.EqualTo("keyword"));
        Assert.That(mapping["search_text"]!["analyzer"]!.GetValue<string>(), Is.EqualTo("platform_tokens"));
        Assert.That(_server.Index("platform-test")!.Fields["search_text"], Is.EqualTo("text"), "the analyzer is a whitespace tokenizer");

        var bulk = Request("_bulk");
        Assert.That(bulk.ContentType, Does.EndWith("x-ndjson"));
        var lines = bulk.Body.Split('\n');
        Assert.That(lines[^1], Is.Empty, "NDJSON ends with a newline");
        Assert.That(JsonNode.Parse(lines[0])!["index"]!["_id"]!.GetValue<string>(), Is.EqualTo(chunk.ChunkId.ToString()));
        var source = JsonNode.Parse(lines[1])!;
        Assert.That(source["tenant_id"]!.GetValue<string>(), Is.EqualTo("acme"));
        Assert.That(source["search_text"]!.GetValue<string>(), Is.EqualTo(chunk.SearchText));
        Assert.That(source["embedding"]!.AsArray(), Has.Count.EqualTo(32));
        Assert.That(_server.Index("platform-test")!.Searchable.Keys, Is.EqualTo(new[] { chunk.ChunkId.ToString() }), "searchable once the call returns");
    }

    [Test]
    public async Task Should_search_bm25_and_knn_inside_the_tenant_and_document_filter_and_read_the_hits()
    {
        var doc = Guid.NewGuid();
        var hit = new IndexedChunk(Guid.NewGuid(), doc, "北京 京大 大学", _embedder.Embed("北京大学"));
        var otherTenant = new IndexedChunk(Guid.NewGuid(), doc, "北京 京大 大学", _embedder.Embed("北京大学"));
        await _index.IndexAsync("acme", [hit]);
        await _index.IndexAsync("globex", [otherTenant]);

        var keyword = await _index.KeywordAsync("acme", ["北京", "大学"], [doc], 20);
        var vector = await _index.VectorAsync("acme", _embedder.Embed("北京大学"), [doc], 20);

        Assert.That(keyword.Select(k => k.ChunkId), Is.EqualTo(new[] { hit.ChunkId }));
        Assert.That(keyword[0].Score, Is.GreaterThan(0));
        Assert.That(vector.Select(v => v.ChunkId), Is.EqualTo(new[] { hit.ChunkId }));
        Assert.That(vector[0].Score, Is.EqualTo(1.0).Within(1e-5), "cosine 1 scores (1 + 1) / 2");
        var searches = _server.Requests.Where(r => r.Path.EndsWith("_search", StringComparison.Ordinal)).Select(r => JsonNode.Parse(r.Body)!).ToList();
        var match = searches[0]["query"]!["bool"]!;
        Assert.That(match["must"]!["match"]!["search_text"]!["query"]!.GetValue<string>(), Is.EqualTo("北京 大学"));
        Assert.That(match["filter"]!.ToJsonString(), Does.Contain("\"tenant_id\"").And.Contain("\"acme\"").And.Contain(doc.ToString()));
        var knn = searches[1]["knn"]!.ToJsonString();
        Assert.That(searches[1]["query"], Is.Null, "vector search is the top-level knn option alone");
        Assert.That(knn, Does.Contain("\"field\":\"embedding\"").And.Contain("\"k\":20").And.Contain("\"num_candidates\":100"));
        Assert.That(knn, Does.Contain("\"filter\"").And.Contain("\"acme\""), "the tenant filter applies during the kNN search, not after it");
        Assert.That(searches.All(s => s["_source"]?.GetValue<bool>() == false), "hits carry ids and scores, not the stored vectors");
    }

    [Test]
    public async Task Should_delete_a_document_by_query_within_its_tenant_and_refresh()
    {
        var doc = Guid.NewGuid();
        await _index.IndexAsync("acme", [new IndexedChunk(Guid.NewGuid(), doc, "a b", _embedder.Embed("a b"))]);
        await _index.IndexAsync("globex", [new IndexedChunk(Guid.NewGuid(), doc, "a b", _embedder.Embed("a b"))]);

        await _index.DeleteDocumentAsync("acme", doc);

        var delete = Request("_delete_by_query");
        Assert.That(delete.Path, Does.Contain("refresh=true"));
        Assert.That(delete.Body, Does.Contain("\"tenant_id\"").And.Contain(doc.ToString()));
        Assert.That(_server.Index("platform-test")!.Searchable.Values.Select(d => d["tenant_id"]!.GetValue<string>()),
            Is.EqualTo(new[] { "globex" }), "the other tenant's copy stays");
    }

    [Test]
    public async Task Should_fail_naming_the_reason_when_a_bulk_item_is_rejected()
    {
        await _index.IndexAsync("acme", [new IndexedChunk(Guid.NewGuid(), Guid.NewGuid(), "x", _embedder.Embed("x"))]);
        var wrongSize = new IndexedChunk(Guid.NewGuid(), Guid.NewGuid(), "y", new float[16]);

        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => _index.IndexAsync("acme", [wrongSize]));
        Assert.That(ex!.Message, Does.Contain("document_parsing_exception").And.Contain(wrongSize.ChunkId.ToString()));
    }

    [Test]
    public void Should_fail_with_the_server_error_when_elasticsearch_refuses_a_search()
    {
        // A 16-dimension query against a 32-dimension index: Elasticsearch answers 400 illegal_argument_exception.
        var ex = Assert.ThrowsAsync<HttpRequestException>(() => _index.VectorAsync("acme", new float[16], null, 5));
        Assert.That(ex!.Message, Does.Contain("illegal_argument_exception"));
        Assert.That(ex.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.BadRequest));
    }
}
