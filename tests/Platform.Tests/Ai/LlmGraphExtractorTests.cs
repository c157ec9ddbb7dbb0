using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Search.Models;
using Platform.Workers.Ai.Graph;

namespace Platform.Tests.Ai;

/// <summary>The LLM extractor through the OpenAI-compatible chat endpoint in JSON mode (loopback server).</summary>
[TestFixture]
[Category("Integration")]
public sealed class LlmGraphExtractorTests
{
    [Test]
    public async Task Should_ask_for_a_json_object_and_fall_back_to_rules_when_the_reply_is_not_json()
    {
        await using var server = await FakeOpenAi.StartAsync();
        var replies = new Queue<string>(
        [
            """{"entities":[{"name":"Job Runner","type":"component"},{"name":"PostgreSQL","type":"technology"}],"relations":[{"source":"Job Runner","target":"PostgreSQL","relation":"stores state in"}]}""",
            "I think the entities are Alpha and Beta.",
        ]);
        server.Reply = _ => [replies.Dequeue()];
        var model = new OpenAiChatModel(Options.Create(new ChatModelOptions { Model = "fake-chat", BaseUrl = server.BaseUrl.ToString() }),
            NullLogger<OpenAiChatModel>.Instance);
        var extractor = new LlmGraphExtractor(model, NullLogger<LlmGraphExtractor>.Instance);
        var doc = Guid.NewGuid();
        Chunk[] chunks =
        [
            new() { Id = Guid.NewGuid(), DocumentId = doc, Content = "The Job Runner keeps its state in PostgreSQL." },
            new() { Id = Guid.NewGuid(), DocumentId = doc, Content = "Later, Apache Kafka and Redis Streams were compared." },
        ];

        var graphs = await extractor.ExtractAsync(chunks);

        var request = server.ChatRequests.First();
        Assert.That(request["response_format"]!["type"]!.GetValue<string>(), Is.EqualTo("json_object"));
        Assert.That(request["stream"]?.GetValue<bool>() ?? false, Is.False);
        Assert.That(graphs[0].Relations.Single().Relation, Is.EqualTo("stores_state_in"));
        Assert.That(graphs[0].Entities.Single(e => e.Key == "postgresql").Kind, Is.EqualTo("technology"));
        Assert.That(graphs[1].Entities.Select(e => e.Key), Is.SupersetOf(new[] { "apache kafka", "redis streams" }), "rule-based fallback");
    }
}
