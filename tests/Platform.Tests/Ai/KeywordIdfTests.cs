using Platform.Data;
using Platform.Search;

namespace Platform.Tests.Ai;

/// <summary>
/// Keyword ranking weighs a word by how rare it is, on both databases: PostgreSQL's ts_rank_cd alone has no idf and let a
/// word every chunk holds outweigh the one rare word of the question (bench/quality hit@3 0.44 against SQLite's 0.96).
/// </summary>
[TestFixture("Sqlite")]
[TestFixture("PostgreSql")]
[Category("Integration")]
public sealed class KeywordIdfTests(string provider)
{
    private SearchHarness _harness = null!;
    private Guid _rare;
    private Guid _accented;

    [OneTimeSetUp]
    public async Task Index()
    {
        _harness = await SearchHarness.CreateAsync(provider, options: new SearchOptions { ProximityWeight = 0 });
        var filler = Enumerable.Range(0, 12).Select(i => $"Debian release notes, part {i}: Debian packages and Debian mirrors.").ToList();
        await _harness.AddDocumentAsync("idf", "notes.txt", filler);
        _rare = (await _harness.AddDocumentAsync("idf", "ports.txt", ["The ports page lists nine architectures."])).Chunks[0].Id;
        _accented = (await _harness.AddDocumentAsync("idf", "menu.txt", ["Le café près de la gare ouvre à sept heures."])).Chunks[0].Id;
    }

    [OneTimeTearDown]
    public async Task Drop() => await _harness.DisposeAsync();

    [Test]
    public async Task Should_rank_the_chunk_with_the_rare_word_above_chunks_repeating_a_common_one()
    {
        var hits = await _harness.Search.SearchAsync(new SearchRequest("idf", "How many architectures does Debian Debian support?", SearchMode.Keyword));

        Assert.That(hits.First().ChunkId, Is.EqualTo(_rare));
    }

    [Test]
    public async Task Should_find_a_word_written_with_diacritics_as_it_was_written()
    {
        var hits = await _harness.Search.SearchAsync(new SearchRequest("idf", "café", SearchMode.Keyword));

        Assert.That(hits.Select(h => h.ChunkId), Does.Contain(_accented));
    }
}
