using Platform.Data;
using Platform.Search;

namespace Platform.Tests.Ai;

/// <summary>Keyword's best candidates re-ordered by the query's words found together (<see cref="ProximityRanking"/>).</summary>
public sealed class ProximityRankingTests
{
    private static Chunk Chunk(string text) => new() { Id = Guid.NewGuid(), SearchText = TextTokenizer.ToSearchText(text) };

    [Test]
    public void Should_count_a_pair_only_when_its_words_are_within_the_window()
    {
        var pairs = ProximityRanking.Pairs(TextTokenizer.TokenizeQuery("end of life"));

        Assert.That(ProximityRanking.PairShare(pairs, Chunk("Bullseye reached its end of life in 2024")), Is.EqualTo(1));
        Assert.That(ProximityRanking.PairShare(pairs, Chunk("life goes on, with words and more words and still more words, to the end")), Is.EqualTo(0));
    }

    [Test]
    public void Should_treat_neighbouring_Chinese_bigrams_found_together_as_a_phrase()
    {
        var pairs = ProximityRanking.Pairs(TextTokenizer.TokenizeQuery("软件包管理"));

        Assert.That(ProximityRanking.PairShare(pairs, Chunk("使用软件包管理工具")), Is.EqualTo(1));
        Assert.That(ProximityRanking.PairShare(pairs, Chunk("管理员说：软件和包装都不一样，这里的文字很多很多")), Is.LessThan(0.5));
    }

    [Test]
    public void Should_put_the_candidate_holding_the_phrase_first_when_keyword_scores_are_close()
    {
        var apart = Chunk("The end date is in the notes; the page about security support and the cloud images covers life.");
        var together = Chunk("Debian 11 reached end of life on 2024-08-14.");
        var rows = new Dictionary<Guid, Chunk> { [apart.Id] = apart, [together.Id] = together };

        var ranked = ProximityRanking.Rerank(TextTokenizer.TokenizeQuery("end of life"), [(apart.Id, 10.0), (together.Id, 9.0)], rows, 0.7);

        Assert.That(ranked.Select(r => r.ChunkId), Is.EqualTo(new[] { together.Id, apart.Id }));
    }

    [Test]
    public void Should_keep_keyword_order_when_the_keyword_lead_is_large_or_the_weight_is_zero()
    {
        var apart = Chunk("end, then many other words in between, and at last life");
        var together = Chunk("end of life");
        var rows = new Dictionary<Guid, Chunk> { [apart.Id] = apart, [together.Id] = together };
        var query = TextTokenizer.TokenizeQuery("end of life");

        Assert.That(ProximityRanking.Rerank(query, [(apart.Id, 10.0), (together.Id, 2.0)], rows, 0.7).First().ChunkId, Is.EqualTo(apart.Id),
            "finding every pair is worth 0.7 of the best keyword score, not more");
        Assert.That(ProximityRanking.Rerank(query, [(apart.Id, 10.0), (together.Id, 9.0)], rows, 0).First().ChunkId, Is.EqualTo(apart.Id),
            "weight 0 turns the re-ordering off");
    }
}
