using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Search;

namespace Platform.Tests.Ai;

/// <summary>
/// One contract for the search indexes: the database default, and Elasticsearch when PLATFORM_LIVE_ELASTICSEARCH_URL points at
/// one (a fresh index per run). Chunks are written as the workers write them: rows in the database, then IndexAsync.
/// </summary>
[TestFixture("Sql")]
[TestFixture("Elasticsearch")]
[Category("Integration")]
public sealed class SearchIndexContractTests(string kind)
{
    private SearchHarness _harness = null!;
    private ISearchIndex _index = null!;
    private HttpClient? _http;
    private string? _esIndex;

    [SetUp]
    public async Task Create()
    {
        _harness = await SearchHarness.CreateAsync("Sqlite");
        if (kind == "Elasticsearch")
        {
            var url = Environment.GetEnvironmentVariable("PLATFORM_LIVE_ELASTICSEARCH_URL");
            if (string.IsNullOrEmpty(url))
            {
                Assert.Ignore("Set PLATFORM_LIVE_ELASTICSEARCH_URL to run against a real Elasticsearch.");
            }
            _esIndex = $"platform-test-{Guid.NewGuid():N}";
            var options = new SearchOptions { Backend = "Elasticsearch", ElasticsearchUrl = url, ElasticsearchIndex = _esIndex };
            _http = new HttpClient();
            ElasticsearchIndex.Configure(_http, options);
            _index = new ElasticsearchIndex(_http, Options.Create(options), _harness.Embedder);
        }
        else
        {
            _index = _harness.Index;
        }
    }

    [TearDown]
    public async Task Drop()
    {
        if (_http is not null && _esIndex is not null)
        {
            await _http.DeleteAsync(_esIndex);
        }
        _http?.Dispose();
        await _harness.DisposeAsync();
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
}
