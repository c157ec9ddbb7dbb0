using Platform.Search.Graph;
using Platform.Workers.Ai.Graph;

namespace Platform.Tests.Ai;

public sealed class GraphExtractorTests
{
    [Test]
    public void Should_find_named_terms_and_relate_those_in_the_same_sentence()
    {
        var graph = RuleBasedGraphExtractor.Extract(Guid.NewGuid(), Guid.NewGuid(),
            "The Job Runner stores state in PostgreSQL. Backups use pg_dump and land in Amazon S3. Nothing else matters here.");
        var keys = graph.Entities.Select(e => e.Key).ToList();

        Assert.That(keys, Is.SupersetOf(new[] { "job runner", "postgresql", "amazon s3" }));
        Assert.That(keys, Has.None.EqualTo("the").And.None.EqualTo("backups").And.None.EqualTo("nothing"),
            "sentence-initial common words are not names");
        Assert.That(graph.Relations, Does.Contain(new GraphRelation("job runner", "postgresql", RuleBasedGraphExtractor.CoOccurs)));
        Assert.That(graph.Relations.Any(r => r.SourceKey == "amazon s3" && r.TargetKey == "postgresql"), Is.False, "different sentences");
    }

    [Test]
    public void Should_find_acronyms_and_marked_Chinese_terms()
    {
        var graph = RuleBasedGraphExtractor.Extract(Guid.NewGuid(), Guid.NewGuid(),
            "RRF fuses rankings. 系统使用「倒数排名融合」和《信息检索导论》中的方法。");
        Assert.That(graph.Entities.Select(e => (e.Key, e.Kind)),
            Is.SupersetOf(new[] { ("rrf", "acronym"), ("倒数排名融合", "term"), ("信息检索导论", "work") }));
        Assert.That(graph.Relations, Has.Count.EqualTo(1), "the two Chinese terms share a sentence");
    }

    [Test]
    public void Should_read_a_models_json_and_fall_back_when_it_is_not_json()
    {
        var chunk = Guid.NewGuid();
        var parsed = LlmGraphExtractor.Parse(chunk, Guid.NewGuid(),
            """{"entities":[{"name":"Job Runner","type":"Component"}],"relations":[{"source":"Job Runner","target":"PostgreSQL","relation":"stores state in"}]}""");
        Assert.That(parsed!.Entities.Select(e => e.Key), Is.EquivalentTo(new[] { "job runner", "postgresql" }));
        Assert.That(parsed.Relations.Single(), Is.EqualTo(new GraphRelation("job runner", "postgresql", "stores_state_in")));
        Assert.That(LlmGraphExtractor.Parse(chunk, Guid.NewGuid(), "Sure! Here are the entities: ..."), Is.Null);
    }
}
