using Platform.Data;
using Platform.Search;

namespace Platform.Tests.Ai;

/// <summary>
/// Retrieval quality on the labelled sets, with the default stack (database full-text + built-in embedder, hybrid).
/// MRR and recall@5 are printed to the test output; the thresholds guard against regressions, and Chinese must not lag
/// English by much. The second fixture sets a keyword rank budget of 1, so every keyword query takes the
/// rarest-terms-then-re-score path that large tenants take: quality must hold there too.
/// </summary>
[TestFixture(4000)]
[TestFixture(1)]
[Category("Integration")]
public sealed class SearchQualityTests(int keywordRankBudget)
{
    private SearchHarness _harness = null!;
    private readonly Dictionary<string, List<Guid>> _chunkIds = [];

    [OneTimeSetUp]
    public async Task Index()
    {
        _harness = await SearchHarness.CreateAsync("Sqlite", options: new SearchOptions { KeywordRankBudget = keywordRankBudget });
        _chunkIds["en"] = [];
        _chunkIds["zh"] = [];
        // One document per passage, with distractor tenants' copies that must never be returned.
        foreach (var (passages, language) in new[] { (LabelledSets.EnglishPassages, "en"), (LabelledSets.ChinesePassages, "zh") })
        {
            for (var i = 0; i < passages.Length; i++)
            {
                var (_, chunks) = await _harness.AddDocumentAsync("quality", $"{language}-{i}.txt", [passages[i]]);
                _chunkIds[language].Add(chunks[0].Id);
            }
        }
    }

    [OneTimeTearDown]
    public async Task Drop() => await _harness.DisposeAsync();

    private async Task<(double Mrr, double RecallAt5)> MeasureAsync(string language, (string Query, int Relevant)[] queries, SearchMode mode)
    {
        double reciprocal = 0, recalled = 0;
        foreach (var (query, relevant) in queries)
        {
            var hits = await _harness.Search.SearchAsync(new SearchRequest("quality", query, mode, 10));
            var rank = hits.Select(h => h.ChunkId).ToList().IndexOf(_chunkIds[language][relevant]) + 1;
            reciprocal += rank > 0 ? 1.0 / rank : 0;
            recalled += rank is > 0 and <= 5 ? 1 : 0;
        }
        var result = (reciprocal / queries.Length, recalled / queries.Length);
        TestContext.Out.WriteLine($"budget {keywordRankBudget}, {language} {mode}: MRR {result.Item1:F3}, recall@5 {result.Item2:F2}");
        return result;
    }

    [Test]
    public async Task Should_rank_the_answering_passage_high_for_English_questions()
    {
        var (mrr, recall) = await MeasureAsync("en", LabelledSets.EnglishQueries, SearchMode.Hybrid);
        Assert.That(mrr, Is.GreaterThanOrEqualTo(0.8));
        Assert.That(recall, Is.GreaterThanOrEqualTo(0.9));
    }

    [Test]
    public async Task Should_rank_the_answering_passage_high_for_Chinese_questions_not_far_below_English()
    {
        var (en, _) = await MeasureAsync("en", LabelledSets.EnglishQueries, SearchMode.Hybrid);
        var (zh, recall) = await MeasureAsync("zh", LabelledSets.ChineseQueries, SearchMode.Hybrid);
        Assert.That(zh, Is.GreaterThanOrEqualTo(0.8));
        Assert.That(recall, Is.GreaterThanOrEqualTo(0.9));
        Assert.That(zh, Is.GreaterThanOrEqualTo(en - 0.1), "Chinese must not score far below English");
    }

    [Test]
    public async Task Should_find_Chinese_text_in_each_mode_alone()
    {
        foreach (var mode in new[] { SearchMode.Keyword, SearchMode.Vector })
        {
            var (mrr, _) = await MeasureAsync("zh", LabelledSets.ChineseQueries, mode);
            Assert.That(mrr, Is.GreaterThanOrEqualTo(0.6), mode.ToString());
        }
    }
}
