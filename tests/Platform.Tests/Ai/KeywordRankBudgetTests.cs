using Platform.Data;

namespace Platform.Tests.Ai;

/// <summary>
/// SQLite keyword search over its rank budget: candidates picked by the rarest terms (and pairs of common ones), re-scored
/// in process. Their scores must be FTS5's own bm25 scores, the best rows must be the ones ranking every match finds, and
/// the tenant and document filters must hold on this path too.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class KeywordRankBudgetTests
{
    private SearchHarness _harness = null!;
    private Guid _first;
    private Guid _foreign;

    [OneTimeSetUp]
    public async Task Index()
    {
        _harness = await SearchHarness.CreateAsync("Sqlite");
        // "report" is in every passage, "storage" in a third, "quarterly" in a few, "zeppelin" in one; lengths vary.
        var random = new Random(5);
        string[] filler = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "theta", "kappa", "lambda", "sigma"];
        var passages = Enumerable.Range(0, 120).Select(i =>
        {
            var words = Enumerable.Range(0, 5 + random.Next(20)).Select(_ => filler[random.Next(filler.Length)]).ToList();
            words.Add("report");
            if (i % 3 == 0)
            {
                words.Add("storage");
            }
            if (i % 17 == 0)
            {
                words.Add("quarterly");
            }
            if (i % 5 == 0)
            {
                words.Add("report"); // tf 2
            }
            if (i == 42)
            {
                words.Add("zeppelin");
            }
            return string.Join(' ', words);
        }).ToList();
        _first = (await _harness.AddDocumentAsync("acme", "first.txt", passages[..60])).DocumentId;
        await _harness.AddDocumentAsync("acme", "second.txt", passages[60..]);
        _foreign = (await _harness.AddDocumentAsync("globex", "foreign.txt", passages)).DocumentId;
    }

    [OneTimeTearDown]
    public async Task Drop() => await _harness.DisposeAsync();

    [TestCase("zeppelin storage report")]
    [TestCase("quarterly storage report")]
    [TestCase("storage report")]
    public async Task Should_score_candidates_as_fts5_bm25_does_and_keep_its_best_rows(string query)
    {
        var tokens = TextTokenizer.Tokenize(query);
        var exact = await _harness.Chunks.KeywordSearchAsync("acme", tokens, null, 10, rankBudget: 0);
        var budgeted = await _harness.Chunks.KeywordSearchAsync("acme", tokens, null, 10, rankBudget: 1);
        Assert.That(budgeted, Has.Count.EqualTo(exact.Count));
        var exactScores = exact.ToDictionary(e => e.ChunkId, e => e.Score);
        foreach (var (chunkId, score) in budgeted)
        {
            if (exactScores.TryGetValue(chunkId, out var fts5))
            {
                Assert.That(score, Is.EqualTo(fts5).Within(1e-9), "re-scored in process = FTS5's bm25");
            }
        }
        // Same scores, so the same best rows (ties may swap places).
        Assert.That(budgeted.Select(b => b.Score), Is.EqualTo(exact.Select(e => e.Score)).Within(1e-9));
    }

    [Test]
    public async Task Should_keep_the_tenant_and_document_filters_over_the_budget()
    {
        var tokens = TextTokenizer.Tokenize("quarterly storage report");
        var acme = await _harness.Chunks.KeywordSearchAsync("acme", tokens, null, 500, rankBudget: 1);
        var chunks = await _harness.Chunks.GetManyAsync(acme.Select(a => a.ChunkId).ToList());
        Assert.That(chunks, Is.Not.Empty);
        Assert.That(chunks.Select(c => c.TenantId), Is.All.EqualTo("acme"));

        var filtered = await _harness.Chunks.KeywordSearchAsync("acme", tokens, [_first], 500, rankBudget: 1);
        var filteredChunks = await _harness.Chunks.GetManyAsync(filtered.Select(a => a.ChunkId).ToList());
        Assert.That(filteredChunks, Is.Not.Empty);
        Assert.That(filteredChunks.Select(c => c.DocumentId), Is.All.EqualTo(_first));

        var foreign = await _harness.Chunks.KeywordSearchAsync("acme", tokens, [_foreign], 500, rankBudget: 1);
        Assert.That(foreign, Is.Empty, "another tenant's document id must not open its chunks");
    }
}
