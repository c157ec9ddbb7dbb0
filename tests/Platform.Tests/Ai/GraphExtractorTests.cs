using Platform.Data;
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

    private static Chunk ChunkOf(Guid document, string text, string kind = "paragraph") =>
        new() { Id = Guid.NewGuid(), DocumentId = document, Content = text, Kind = kind };

    [Test]
    public void Should_extract_a_Latin_name_next_to_Chinese_without_the_Chinese_attached()
    {
        var graph = RuleBasedGraphExtractor.Extract(Guid.NewGuid(), Guid.NewGuid(),
            "我们使用Docker部署服务，Docker镜像保存在Harbor仓库中。容器由Kubernetes编排。");
        var keys = graph.Entities.Select(e => e.Key).ToList();

        Assert.That(keys, Is.SupersetOf(new[] { "docker", "harbor", "kubernetes" }));
        Assert.That(keys.Where(k => k.Any(NameCandidates.IsHan) && k.Any(char.IsAsciiLetter)), Is.Empty, "no Latin name glued to Chinese");
    }

    [Test]
    public void Should_not_take_a_whole_Chinese_clause_for_an_entity()
    {
        var graph = RuleBasedGraphExtractor.Extract(Guid.NewGuid(), Guid.NewGuid(),
            "常见问题是“Debian 系统中还能获得哪些有针对性的文档？”以及“这是一个被引号括起来的很长的句子”。请阅读「软件包管理」一节。");
        var keys = graph.Entities.Select(e => e.Key).ToList();

        Assert.That(keys, Does.Contain("软件包管理"), "a short marked term is an entity");
        Assert.That(keys.Where(k => k.Count(NameCandidates.IsHan) > 8), Is.Empty, "no clause-length Chinese entity");
    }

    [Test]
    public void Should_not_take_a_generic_word_for_an_entity()
    {
        var graph = RuleBasedGraphExtractor.Extract(Guid.NewGuid(), Guid.NewGuid(),
            "See the Note in Chapter 3 before you Build it. Read the Tip in Section 2 about Kubernetes. It runs on Kubernetes.");
        var keys = graph.Entities.Select(e => e.Key).ToList();

        Assert.That(keys, Does.Contain("kubernetes"));
        Assert.That(keys, Has.None.AnyOf("note", "chapter", "build", "tip", "section", "see", "read", "it"));
    }

    [Test]
    public void Should_drop_an_entity_mentioned_fewer_times_than_the_minimum_and_count_mentions_in_any_case()
    {
        var document = Guid.NewGuid();
        var chunks = new[]
        {
            ChunkOf(document, "Events flow through Kafka into Zookeeper-free clusters managed by Strimzi."),
            ChunkOf(document, "The operator is called Strimzi. Upgrading strimzi is described below."),
        };

        var graph = RuleBasedGraphExtractor.Extract(chunks, minMentions: 2);
        var keys = graph.SelectMany(g => g.Entities).Select(e => e.Key).Distinct().ToList();

        Assert.That(keys, Does.Contain("strimzi"), "three mentions, one in lower case");
        Assert.That(keys, Does.Not.Contain("kafka"), "one mention is below the minimum of two");
        Assert.That(graph[1].Entities.Single(e => e.Key == "strimzi").Name, Is.EqualTo("Strimzi"));
        Assert.That(RuleBasedGraphExtractor.Extract(chunks, minMentions: 1).SelectMany(g => g.Entities).Select(e => e.Key),
            Does.Contain("kafka"), "kept when the minimum is one");
    }

    [Test]
    public void Should_find_a_lower_case_software_name_its_document_uses_in_paths()
    {
        var document = Guid.NewGuid();
        var graph = RuleBasedGraphExtractor.Extract(
        [
            ChunkOf(document, "The package installs /etc/nginx/nginx.conf and logs to /var/log/nginx/ by default."),
            ChunkOf(document, "Restart nginx after editing the file. Since nginx 1.9.5 spdy was replaced; nginx now speaks http2."),
        ], minMentions: 2);

        Assert.That(graph.SelectMany(g => g.Entities).Select(e => e.Key), Does.Contain("nginx"));
        Assert.That(graph[1].Entities.Select(e => e.Key), Does.Contain("nginx"));
    }

    [Test]
    public void Should_merge_case_variants_into_one_entity_named_by_the_commonest_spelling()
    {
        var graph = RuleBasedGraphExtractor.Extract(Guid.NewGuid(), Guid.NewGuid(),
            "We moved to PostgreSQL last year. Our POSTGRESQL cluster and the PostgreSQL replicas run in Frankfurt.");
        Assert.That(graph.Entities.Count(e => e.Key == "postgresql"), Is.EqualTo(1));
        Assert.That(graph.Entities.Single(e => e.Key == "postgresql").Name, Is.EqualTo("PostgreSQL"));
    }
}
