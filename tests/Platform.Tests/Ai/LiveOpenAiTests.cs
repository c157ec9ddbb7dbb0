using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Search;
using Platform.Search.Models;

namespace Platform.Tests.Ai;

/// <summary>
/// Against a real OpenAI-compatible server, only when PLATFORM_LIVE_OPENAI_URL is set (e.g. http://127.0.0.1:11434/v1 for
/// Ollama). PLATFORM_LIVE_OPENAI_KEY, PLATFORM_LIVE_OPENAI_EMBEDDING_MODEL, PLATFORM_LIVE_OPENAI_DIMENSIONS and
/// PLATFORM_LIVE_OPENAI_CHAT_MODEL complete it.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class LiveOpenAiTests
{
    private static string Url => Environment.GetEnvironmentVariable("PLATFORM_LIVE_OPENAI_URL") ?? "";

    [SetUp]
    public void RequireServer()
    {
        if (Url.Length == 0)
        {
            Assert.Ignore("Set PLATFORM_LIVE_OPENAI_URL to run against a real OpenAI-compatible server.");
        }
    }

    [Test]
    public async Task Should_embed_with_a_real_server()
    {
        var model = Environment.GetEnvironmentVariable("PLATFORM_LIVE_OPENAI_EMBEDDING_MODEL") ?? "text-embedding-3-small";
        var dimensions = int.Parse(Environment.GetEnvironmentVariable("PLATFORM_LIVE_OPENAI_DIMENSIONS") ?? "1536");
        var embedder = new OpenAiEmbedder(Options.Create(new EmbeddingOptions
        {
            Provider = "OpenAI", BaseUrl = Url, Model = model, Dimensions = dimensions,
            ApiKey = Environment.GetEnvironmentVariable("PLATFORM_LIVE_OPENAI_KEY"),
        }), NullLogger<OpenAiEmbedder>.Instance);
        var vectors = await embedder.EmbedAsync(["Job state lives in PostgreSQL.", "任务状态保存在数据库中。", "Bananas are yellow."]);
        Assert.That(vectors.Select(v => v.Length), Is.All.EqualTo(dimensions));
        var related = System.Numerics.Tensors.TensorPrimitives.Dot(vectors[0], vectors[1]);
        var unrelated = System.Numerics.Tensors.TensorPrimitives.Dot(vectors[0], vectors[2]);
        Assert.That(related, Is.GreaterThan(unrelated));
    }

    [Test]
    public async Task Should_stream_a_chat_reply_from_a_real_server()
    {
        var chat = new OpenAiChatModel(Options.Create(new ChatModelOptions
        {
            Model = Environment.GetEnvironmentVariable("PLATFORM_LIVE_OPENAI_CHAT_MODEL") ?? "gpt-4o-mini", BaseUrl = Url,
            ApiKey = Environment.GetEnvironmentVariable("PLATFORM_LIVE_OPENAI_KEY"), MaxOutputTokens = 64,
        }), NullLogger<OpenAiChatModel>.Instance);
        var deltas = new List<string>();
        await foreach (var d in chat.StreamAsync("Reply with one short sentence.", "Say hello."))
        {
            deltas.Add(d);
        }
        Assert.That(string.Concat(deltas), Is.Not.Empty);
        var json = await chat.CompleteJsonAsync("Reply with JSON only.", "Return {\"ok\": true}.");
        Assert.That(System.Text.Json.JsonDocument.Parse(json).RootElement.ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Object));
    }
}
