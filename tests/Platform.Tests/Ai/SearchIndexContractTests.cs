using Elastic.Clients.Elasticsearch;
using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Search;

namespace Platform.Tests.Ai;

/// <summary>
/// One contract for the search indexes: the database default; Elasticsearch through the official client against the
/// in-process server of the documented wire format (FakeElasticsearch); and a real Elasticsearch when
/// PLATFORM_LIVE_ELASTICSEARCH_URL points at one (a fresh index per run). Chunks are written as the workers write them:
/// rows in the database, then IndexAsync; documents are deleted as DocumentDeletion does: rows, then DeleteDocumentAsync.
/// </summary>
[TestFixture("Sql")]
[TestFixture("ElasticsearchFake")]
[TestFixture("Elasticsearch")]
[Category("Integration")]
public sealed class SearchIndexContractTests(string kind)
{
    private SearchHarness _harness = null!;
    private ISearchIndex _index = null!;
    private FakeElasticsearch? _fake;
    private ElasticsearchClient? _client;
    private string? _esIndex;

    [SetUp]
    public async Task Create()
    {
        _harness = await SearchHarness.CreateAsync("Sqlite");
        if (kind.StartsWith("Elasticsearch", StringComparison.Ordinal))
        {
            var url = Environment.GetEnvironmentVariable("PLATFORM_LIVE_ELASTICSEARCH_URL");
            if (kind == "ElasticsearchFake")
            {
                _fake = await FakeElasticsearch.StartAsync();
                url = _fake.Address.ToString();
            }
            else if (string.IsNullOrEmpty(url))
            {
                Assert.Ignore("Set PLATFORM_LIVE_ELASTICSEARCH_URL to run against a real Elasticsearch.");
            }
            _esIndex = $"platform-test-{Guid.NewGuid():N}";
            var options = new SearchOptions { Backend = "Elasticsearch", ElasticsearchUrl = url, ElasticsearchIndex = _esIndex };
            _client = ElasticsearchIndex.CreateClient(options);
            _index = new ElasticsearchIndex(_client, Options.Create(options), _harness.Embedder);
        }
        else
        {
            _index = _harness.Index;
        }
    }

    [TearDown]
    public async Task Drop()
    {
        if (_client is not null && _esIndex is not null)
        {
            await _client.Indices.DeleteAsync(_esIndex); // answers 404 when a test made no index; never throws
        }
        var refusals = _fake?.Refusals.ToList() ?? [];
        if (_fake is not null)
        {
            await _fake.DisposeAsync();
        }
        await _harness.DisposeAsync();
        Assert.That(refusals, Is.Empty, "requests the documented wire format does not allow");
    }

    private async Task<(Guid DocumentId, Guid ChunkId)> AddAsync(string tenant, string text)
    {
        var (doc, chunks) = await _harness.AddDocumentAsync(tenant, $"{Guid.NewGuid():N}.txt", [text]);
        var vectors = await _harness.Embedder.EmbedAsync([chunks[0].HeadingPath + "\n" + chunks[0].Content]);
        await _index.IndexAsync(tenant, [new IndexedChunk(chunks[0].Id, doc, chunks[0].SearchText, vectors[0])]);
        return (doc, chunks[0].Id);
    }

    [Test]
    public async Task Should_find_by_keyword_and_by_vector_within_the_tenant_and_documents()
    {
        var (storageDoc, storage) = await AddAsync("acme", "Job state lives in PostgreSQL with every attempt recorded.");
        var (_, chinese) = await AddAsync("acme", "中文文本被切分为重叠的双字词。");
        var (_, foreign) = await AddAsync("globex", "Job state lives in PostgreSQL with every attempt recorded.");

        var keyword = await _index.KeywordAsync("acme", TextTokenizer.Tokenize("job state postgresql"), null, 10);
        Assert.That(keyword[0].ChunkId, Is.EqualTo(storage));
        Assert.That(keyword.Select(k => k.ChunkId), Has.None.EqualTo(foreign));

        var zh = await _index.KeywordAsync("acme", TextTokenizer.Tokenize("双字词"), null, 10);
        Assert.That(zh.Select(k => k.ChunkId).First(), Is.EqualTo(chinese));

        var query = (await _harness.Embedder.EmbedAsync(["where does job state live"]))[0];
        var vector = await _index.VectorAsync("acme", query, null, 10);
        Assert.That(vector[0].ChunkId, Is.EqualTo(storage));
        Assert.That(vector.Select(v => v.ChunkId), Has.None.EqualTo(foreign));

        var filtered = await _index.VectorAsync("acme", query, [storageDoc], 10);
        Assert.That(filtered.Select(v => v.ChunkId), Is.EqualTo(new[] { storage }));
    }

    [Test]
    public async Task Should_keep_one_copy_of_a_chunk_indexed_twice_and_forget_a_deleted_document()
    {
        var (doc, chunk) = await AddAsync("acme", "Invoices are archived for seven years in cold storage.");
        var (_, other) = await AddAsync("acme", "Seven dwarfs archived nothing.");
        var chunks = await _harness.Chunks.ListByDocumentAsync(doc);
        var vector = (await _harness.Embedder.EmbedAsync([chunks[0].HeadingPath + "\n" + chunks[0].Content]))[0];
        await _index.IndexAsync("acme", [new IndexedChunk(chunk, doc, chunks[0].SearchText, vector)]); // a redelivered message

        var keyword = await _index.KeywordAsync("acme", TextTokenizer.Tokenize("invoices archived seven years"), null, 10);
        Assert.That(keyword.Count(k => k.ChunkId == chunk), Is.EqualTo(1));
        var nearest = await _index.VectorAsync("acme", vector, null, 10);
        Assert.That(nearest.Count(v => v.ChunkId == chunk), Is.EqualTo(1));

        Assert.That(await _harness.Documents.DeleteAsync(doc, "acme"), Is.Not.Null);
        await _index.DeleteDocumentAsync("acme", doc);
        await _index.DeleteDocumentAsync("acme", doc); // a repeated DELETE does the outside part again
        _harness.Vectors.Invalidate("acme");

        var after = await _index.KeywordAsync("acme", TextTokenizer.Tokenize("invoices archived seven years"), null, 10);
        Assert.That(after.Select(k => k.ChunkId), Has.None.EqualTo(chunk));
        Assert.That(after.Select(k => k.ChunkId), Does.Contain(other), "only the deleted document's chunks go");
        Assert.That((await _index.VectorAsync("acme", vector, null, 10)).Select(v => v.ChunkId), Has.None.EqualTo(chunk));
    }
}
