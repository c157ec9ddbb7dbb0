using Platform.Data;

namespace Platform.Tests.Ai;

/// <summary>The in-process bm25 and the choice of candidate terms (see KeywordRankBudgetTests for the comparison with FTS5).</summary>
public sealed class Bm25Tests
{
    [Test]
    public void Should_take_the_rarest_terms_within_the_budget_and_always_one()
    {
        var terms = new List<(string, long)> { ("common", 5000), ("rare", 10), ("middle", 400), ("scarce", 50) };
        Assert.That(Bm25.RarestWithin(terms, 100), Is.EqualTo((new List<string> { "rare", "scarce" }, new List<string> { "middle", "common" })));
        Assert.That(Bm25.RarestWithin(terms, 5).Rare, Is.EqualTo(new[] { "rare" }), "the rarest even over budget");
        Assert.That(Bm25.RarestWithin(terms, 100_000).Common, Is.Empty);
    }

    [Test]
    public void Should_count_term_frequency_and_length_from_the_search_text()
    {
        string[] terms = ["storage", "revenue"];
        double[] idf = [2.0, 1.0];
        // tf 2 and 1, length 4 = the average: 2·(2·2.2 / (2 + 1.2)) + 1·(1·2.2 / (1 + 1.2)).
        var expected = 2.0 * (2 * 2.2 / 3.2) + 1.0 * (2.2 / 2.2);
        Assert.That(Bm25.Score("storage revenue storage grew", terms, idf, averageLength: 4), Is.EqualTo(expected).Within(1e-12));
        Assert.That(Bm25.Score("nothing here", terms, idf, averageLength: 4), Is.Zero);
    }

    [Test]
    public void Should_fold_latin_diacritics_as_fts5_indexes_them_and_leave_other_scripts_alone()
    {
        Assert.That(Bm25.Fold("café"), Is.EqualTo("cafe"));
        Assert.That(Bm25.Fold("über"), Is.EqualTo("uber"));
        Assert.That(Bm25.Fold("北京"), Is.EqualTo("北京"));
        Assert.That(Bm25.Fold("한국"), Is.EqualTo("한국"));
        Assert.That(Bm25.Score("cafe café", ["cafe"], [1.0], averageLength: 2), Is.EqualTo(1.0 * (2 * 2.2 / (2 + 1.2))).Within(1e-12));
    }

    [Test]
    public void Should_floor_the_idf_of_a_term_in_most_rows()
    {
        Assert.That(Bm25.Idf(100, 99), Is.EqualTo(1e-6));
        Assert.That(Bm25.Idf(100, 1), Is.EqualTo(Math.Log(99.5 / 1.5)).Within(1e-12));
    }
}
