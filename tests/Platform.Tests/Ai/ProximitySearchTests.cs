using Microsoft.Extensions.Options;
using Platform.Search;

namespace Platform.Tests.Ai;

/// <summary>
/// Through the whole search stack, on both databases: a passage that says the query's words together ("end of life") comes
/// first, where word-by-word scoring alone puts first a passage that repeats the words apart.
/// </summary>
[TestFixture("Sqlite")]
[TestFixture("PostgreSql")]
[Category("Integration")]
public sealed class ProximitySearchTests(string provider)
{
    private const string Apart = "The end date of each release is on the first page. Security support follows the long term page, " +
        "and the life of the images is set by the cloud team. The end of the mirror list comes after that, and the life cycle of " +
        "the archive keys is another topic.";
    private const string Together = "Debian 11 Bullseye reached end of life on 14 August 2024, when its security support ended.";

    private SearchHarness _harness = null!;
    private Guid _apart;
    private Guid _together;

    [OneTimeSetUp]
    public async Task Index()
    {
        _harness = await SearchHarness.CreateAsync(provider);
        _apart = (await _harness.AddDocumentAsync("prox", "a.txt", [Apart])).Chunks[0].Id;
        _together = (await _harness.AddDocumentAsync("prox", "b.txt", [Together])).Chunks[0].Id;
    }

    [OneTimeTearDown]
    public async Task Drop() => await _harness.DisposeAsync();

    [TestCase(SearchMode.Keyword)]
    [TestCase(SearchMode.Hybrid)]
    public async Task Should_rank_the_passage_holding_the_words_together_first(SearchMode mode)
    {
        var wordByWord = new HybridSearch(_harness.Chunks, _harness.Index, _harness.Embedder, _harness.Tags, _harness.Documents,
            Options.Create(new SearchOptions { ProximityWeight = 0 }));
        var before = await wordByWord.SearchAsync(new SearchRequest("prox", "What is the end of life?", SearchMode.Keyword));
        Assert.That(before.Select(h => h.ChunkId), Is.EqualTo(new[] { _apart, _together }), "the case needs word-by-word scoring to prefer the other passage");

        var hits = await _harness.Search.SearchAsync(new SearchRequest("prox", "What is the end of life?", mode));

        Assert.That(hits.Select(h => h.ChunkId).First(), Is.EqualTo(_together));
        Assert.That(hits.Select(h => h.ChunkId), Does.Contain(_apart), "re-ordered, not dropped");
    }
}
