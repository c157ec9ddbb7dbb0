using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Search.Models;
using Platform.Workers.Ai.Answers;

namespace Platform.Tests.Ai;

/// <summary>Grounded answers through an OpenAI-compatible chat endpoint (loopback server, documented streaming format).</summary>
[TestFixture]
[Category("Integration")]
public sealed class ChatAnswererTests
{
    private SearchHarness _harness = null!;
    private FakeOpenAi _server = null!;
    private InstantTimers _timers = null!;
    private ChatAnswerer _answerer = null!;
    private List<Guid> _chunkIds = [];

    [SetUp]
    public async Task Start()
    {
        _harness = await SearchHarness.CreateAsync("Sqlite");
        _chunkIds = [];
        foreach (var (passage, i) in LabelledSets.EnglishPassages.Select((p, i) => (p, i)))
        {
            _chunkIds.Add((await _harness.AddDocumentAsync("acme", $"doc-{i}.txt", [passage])).Chunks[0].Id);
        }
        _server = await FakeOpenAi.StartAsync();
        _timers = new InstantTimers();
        var model = new OpenAiChatModel(Options.Create(new ChatModelOptions { Model = "fake-chat", BaseUrl = _server.BaseUrl.ToString() }),
            NullLogger<OpenAiChatModel>.Instance, _timers);
        _answerer = new ChatAnswerer(new Retrieval(_harness.Search), model);
    }

    [TearDown]
    public async Task Stop()
    {
        await _server.DisposeAsync();
        await _harness.DisposeAsync();
    }

    private static string SourceNumberOf(JsonNode request, string passage)
    {
        var prompt = request["messages"]![1]!["content"]!.GetValue<string>();
        var at = prompt.IndexOf(passage, StringComparison.Ordinal);
        var open = prompt.LastIndexOf('[', at);
        return prompt[(open + 1)..prompt.IndexOf(']', open)];
    }

    [Test]
    public async Task Should_prompt_with_numbered_sources_stream_the_reply_and_cite_what_it_cites()
    {
        var passage = LabelledSets.EnglishPassages[0];
        _server.Reply = request =>
        {
            var n = SourceNumberOf(request, passage);
            return ["Job state ", "lives in ", "PostgreSQL ", $"[{n}]."];
        };
        var streamed = new List<string>();

        var answer = await _answerer.AnswerAsync("acme", "Where is the status of a job kept?", 5, t =>
        {
            streamed.Add(t);
            return Task.CompletedTask;
        }, CancellationToken.None);

        var request = _server.ChatRequests.Single();
        Assert.That(request["stream"]!.GetValue<bool>(), Is.True);
        Assert.That(request["model"]!.GetValue<string>(), Is.EqualTo("fake-chat"));
        Assert.That(request["messages"]![0]!["content"]!.GetValue<string>(), Does.Contain("numbered sources"));
        Assert.That(request["messages"]![1]!["content"]!.GetValue<string>(), Does.StartWith("Sources:\n[1] (page 1").And.Contain("Question: Where is"));
        Assert.That(string.Concat(streamed), Is.EqualTo(answer.Text), "streamed deltas are the answer");
        Assert.That(answer.Found, Is.True);
        Assert.That(answer.Mode, Is.EqualTo("model:fake-chat"));
        Assert.That(answer.Citations.Select(c => c.ChunkId), Is.EqualTo(new[] { _chunkIds[0] }), "only the cited source");
        Assert.That(answer.Citations[0].Number.ToString(), Is.EqualTo(SourceNumberOf(request, passage)));
    }

    [Test]
    public async Task Should_say_nothing_was_found_without_calling_the_model_when_no_passage_is_relevant()
    {
        var answer = await _answerer.AnswerAsync("acme", "capital of Peru", 5, _ => Task.CompletedTask, CancellationToken.None);
        Assert.That(answer.Found, Is.False);
        Assert.That(answer.Text, Is.EqualTo(Retrieval.NotFoundText));
        Assert.That(answer.Citations, Is.Empty);
        Assert.That(_server.ChatRequests, Is.Empty);
    }

    [Test]
    public async Task Should_report_not_found_with_no_citations_when_the_model_declines()
    {
        _server.Reply = _ => [Retrieval.NotFoundText];
        var answer = await _answerer.AnswerAsync("acme", "how are uploaded documents stored", 5, _ => Task.CompletedTask, CancellationToken.None);
        Assert.That(answer.Found, Is.False);
        Assert.That(answer.Citations, Is.Empty);
    }

    [Test]
    public async Task Should_retry_a_rate_limited_chat_request_before_streaming()
    {
        _server.Failures.Enqueue((429, "2"));
        _server.Reply = _ => ["Stored ", "in PostgreSQL [1]."];
        var answer = await _answerer.AnswerAsync("acme", "Where is the status of a job kept?", 5, _ => Task.CompletedTask, CancellationToken.None);
        Assert.That(answer.Text, Is.EqualTo("Stored in PostgreSQL [1]."));
        Assert.That(_timers.Waits.Single(), Is.EqualTo(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public void Should_read_citation_markers_including_lists_and_ignore_unknown_numbers()
    {
        Assert.That(ChatAnswerer.CitedNumbers("A [1]. B [2, 3]. C [9]. D [x].", 3), Is.EquivalentTo(new[] { 1, 2, 3 }));
    }
}
