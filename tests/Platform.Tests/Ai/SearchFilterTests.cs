using Platform.Data;
using Platform.Search;

namespace Platform.Tests.Ai;

/// <summary>
/// Tenant, document and tag filters, in every mode, on both databases: nothing outside the filter is ever returned. The
/// third fixture sets a keyword rank budget of 1, so every SQLite keyword query takes the rarest-terms-then-re-score path.
/// </summary>
[TestFixture("Sqlite", 4000)]
[TestFixture("PostgreSql", 4000)]
[TestFixture("Sqlite", 1)]
[Category("Integration")]
public sealed class SearchFilterTests(string provider, int keywordRankBudget)
{
    private static readonly string[] Passages =
    [
        "The quarterly revenue report shows growth in the storage business.",
        "Revenue from storage grew while compute revenue stayed flat.",
        "季度收入报告显示存储业务增长。",
    ];

    private SearchHarness _harness = null!;
    private Guid _acmeFinance;
    private Guid _acmeLegal;
    private Guid _globex;

    [OneTimeSetUp]
    public async Task Index()
    {
        _harness = await SearchHarness.CreateAsync(provider, options: new SearchOptions { KeywordRankBudget = keywordRankBudget });
        _acmeFinance = (await _harness.AddDocumentAsync("acme", "finance.txt", Passages, "Finance", "q3")).DocumentId;
        _acmeLegal = (await _harness.AddDocumentAsync("acme", "legal.txt", Passages, "legal")).DocumentId;
        // The other tenant holds the very same text, so only the filter keeps it out.
        _globex = (await _harness.AddDocumentAsync("globex", "finance.txt", Passages, "finance", "q3")).DocumentId;
    }

    [OneTimeTearDown]
    public async Task Drop() => await _harness.DisposeAsync();

    private Task<IReadOnlyList<SearchHit>> SearchAsync(string tenant, string query, SearchMode mode, IReadOnlyCollection<Guid>? documents = null,
        IReadOnlyCollection<string>? tags = null) =>
        _harness.Search.SearchAsync(new SearchRequest(tenant, query, mode, 50, documents, tags));

    [TestCase(SearchMode.Hybrid)]
    [TestCase(SearchMode.Keyword)]
    [TestCase(SearchMode.Vector)]
    public async Task Should_never_return_another_tenants_chunks(SearchMode mode)
    {
        foreach (var query in new[] { "storage revenue", "收入报告" })
        {
            var acme = await SearchAsync("acme", query, mode);
            var globex = await SearchAsync("globex", query, mode);
            Assert.That(acme, Is.Not.Empty);
            Assert.That(acme.Select(h => h.DocumentId), Has.None.EqualTo(_globex));
            Assert.That(globex.Select(h => h.DocumentId), Is.All.EqualTo(_globex));
        }
        Assert.That(await SearchAsync("initech", "storage revenue", mode), Is.Empty);
    }

    [TestCase(SearchMode.Hybrid)]
    [TestCase(SearchMode.Keyword)]
    [TestCase(SearchMode.Vector)]
    public async Task Should_only_return_the_documents_asked_for(SearchMode mode)
    {
        var hits = await SearchAsync("acme", "storage revenue", mode, [_acmeLegal]);
        Assert.That(hits, Is.Not.Empty);
        Assert.That(hits.Select(h => h.DocumentId), Is.All.EqualTo(_acmeLegal));
        // Another tenant's document id in the filter yields nothing, not that tenant's chunks.
        Assert.That(await SearchAsync("acme", "storage revenue", mode, [_globex]), Is.Empty);
    }

    [TestCase(SearchMode.Hybrid)]
    [TestCase(SearchMode.Keyword)]
    [TestCase(SearchMode.Vector)]
    public async Task Should_only_return_documents_carrying_every_tag(SearchMode mode)
    {
        var finance = await SearchAsync("acme", "storage revenue", mode, tags: ["finance"]);
        Assert.That(finance.Select(h => h.DocumentId), Is.All.EqualTo(_acmeFinance).And.Not.Empty);
        var both = await SearchAsync("acme", "storage revenue", mode, tags: ["FINANCE", "q3"]);
        Assert.That(both.Select(h => h.DocumentId), Is.All.EqualTo(_acmeFinance).And.Not.Empty, "tags match case-insensitively");
        Assert.That(await SearchAsync("acme", "storage revenue", mode, tags: ["finance", "legal"]), Is.Empty);
        Assert.That(await SearchAsync("acme", "storage revenue", mode, tags: ["fin"]), Is.Empty, "a tag matches whole, not as a prefix");
        Assert.That(await SearchAsync("acme", "storage revenue", mode, [_acmeLegal], ["finance"]), Is.Empty, "document and tag filters combine");
    }

    [Test]
    public async Task Should_store_tags_normalised()
    {
        Assert.That(await _harness.Tags.GetAsync(_acmeFinance), Is.EqualTo(new[] { "finance", "q3" }));
        Assert.That(DocumentTags.Parse(" Alpha, beta;alpha,,a|b "), Is.EqualTo(new[] { "ab", "alpha", "beta" }));
    }
}
