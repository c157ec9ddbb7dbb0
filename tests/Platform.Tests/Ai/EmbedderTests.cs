using System.ClientModel;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Search;
using Platform.Search.Models;
using Platform.Tests.Support;
using StackExchange.Redis;

namespace Platform.Tests.Ai;

/// <summary>The OpenAI-compatible embedder against a loopback server speaking the documented /v1/embeddings format.</summary>
[TestFixture]
[Category("Integration")]
public sealed class EmbedderTests
{
    private FakeOpenAi _server = null!;
    private InstantTimers _timers = null!;

    [SetUp]
    public async Task Start()
    {
        _server = await FakeOpenAi.StartAsync(dimensions: 64);
        _timers = new InstantTimers();
    }

    [TearDown]
    public async Task Stop() => await _server.DisposeAsync();

    private OpenAiEmbedder Embedder(int batchSize = 64, int maxRetries = 5) =>
        new(Options.Create(new EmbeddingOptions
        {
            Provider = "OpenAI", BaseUrl = _server.BaseUrl.ToString(), Model = "nomic-embed-text", Dimensions = 64, BatchSize = batchSize,
            MaxRetries = maxRetries,
        }), NullLogger<OpenAiEmbedder>.Instance, _timers);

    [Test]
    public async Task Should_send_texts_in_batches_and_return_unit_vectors_in_input_order()
    {
        var texts = Enumerable.Range(0, 5).Select(i => $"chunk number {i} about topic {i * 7}").ToList();
        var vectors = await Embedder(batchSize: 2).EmbedAsync(texts);

        Assert.That(_server.EmbeddingRequests.Select(r => r["input"]!.AsArray().Count), Is.EqualTo(new[] { 2, 2, 1 }));
        Assert.That(_server.EmbeddingRequests.First()["model"]!.GetValue<string>(), Is.EqualTo("nomic-embed-text"));
        var reference = new BuiltInEmbedder(Options.Create(new EmbeddingOptions { Dimensions = 64 }));
        for (var i = 0; i < texts.Count; i++)
        {
            Assert.That(vectors[i], Is.EqualTo(reference.Embed(texts[i])).Within(1e-5f), $"vector {i} out of order");
        }
    }

    [Test]
    public async Task Should_retry_a_429_after_the_delay_its_Retry_After_header_asks_for()
    {
        _server.Failures.Enqueue((429, "7"));
        _server.Failures.Enqueue((503, null));

        var vectors = await Embedder().EmbedAsync(["retry me"]);

        Assert.That(vectors, Has.Length.EqualTo(1));
        Assert.That(_server.EmbeddingCalls, Is.EqualTo(1), "one successful request after the two failures");
        Assert.That(_timers.Waits.First(), Is.EqualTo(TimeSpan.FromSeconds(7)), "Retry-After: 7 is waited exactly");
        Assert.That(_timers.Waits, Has.Count.EqualTo(2), "the 503 is retried too, after a backoff");
    }

    [Test]
    public void Should_give_up_with_the_429_once_retries_are_exhausted()
    {
        for (var i = 0; i < 3; i++)
        {
            _server.Failures.Enqueue((429, "1"));
        }
        var ex = Assert.ThrowsAsync<ClientResultException>(() => Embedder(maxRetries: 2).EmbedAsync(["never"]));
        Assert.That(ex!.Status, Is.EqualTo(429));
        Assert.That(_timers.Waits, Has.Count.EqualTo(2));
    }

    [Test]
    public void Should_not_retry_a_client_error_other_than_429()
    {
        _server.Failures.Enqueue((400, null));
        var ex = Assert.ThrowsAsync<ClientResultException>(() => Embedder().EmbedAsync(["bad"]));
        Assert.That(ex!.Status, Is.EqualTo(400));
        Assert.That(_timers.Waits, Is.Empty);
    }

    [Test]
    public void Should_read_Retry_After_as_seconds_or_an_http_date()
    {
        var now = new DateTimeOffset(2026, 11, 22, 4, 0, 0, TimeSpan.Zero);
        Assert.That(ModelRetry.RetryAfter(h => h == "Retry-After" ? "12" : null, now), Is.EqualTo(TimeSpan.FromSeconds(12)));
        Assert.That(ModelRetry.RetryAfter(h => h == "Retry-After" ? "Sun, 22 Nov 2026 04:00:30 GMT" : null, now),
            Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(ModelRetry.RetryAfter(h => h == "retry-after-ms" ? "250" : null, now), Is.EqualTo(TimeSpan.FromMilliseconds(250)));
        Assert.That(ModelRetry.RetryAfter(_ => null, now), Is.Null);
    }

    [Test]
    public async Task Should_cap_a_Retry_After_longer_than_the_configured_maximum()
    {
        _server.Failures.Enqueue((429, "3600"));
        var embedder = new OpenAiEmbedder(Options.Create(new EmbeddingOptions
        {
            Provider = "OpenAI", BaseUrl = _server.BaseUrl.ToString(), Dimensions = 64, MaxRetryDelay = TimeSpan.FromSeconds(20),
        }), NullLogger<OpenAiEmbedder>.Instance, _timers);
        await embedder.EmbedAsync(["capped"]);
        Assert.That(_timers.Waits.Single(), Is.EqualTo(TimeSpan.FromSeconds(20)));
    }

    [Test]
    [Category("Integration")]
    public async Task Should_answer_from_the_Redis_cache_when_the_same_content_is_embedded_again()
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(TestServices.Redis);
        var prefix = $"test:{Guid.NewGuid():N}:";
        var cached = new CachingEmbedder(Embedder(), redis.GetDatabase(), prefix, TimeSpan.FromMinutes(5), NullLogger.Instance);
        try
        {
            var first = await cached.EmbedAsync(["alpha chunk", "beta chunk"]);
            Assert.That(_server.EmbeddingCalls, Is.EqualTo(1));

            var second = await cached.EmbedAsync(["beta chunk", "alpha chunk", "gamma chunk"]);

            Assert.That(_server.EmbeddingCalls, Is.EqualTo(2), "only the new text goes to the model");
            Assert.That(_server.EmbeddingRequests.Last()["input"]!.AsArray().Select(x => x!.GetValue<string>()), Is.EqualTo(new[] { "gamma chunk" }));
            Assert.That(cached.Hits, Is.EqualTo(2));
            Assert.That(second[0], Is.EqualTo(first[1]));
            Assert.That(second[1], Is.EqualTo(first[0]));
            Assert.That(cached.Key("alpha chunk"), Does.StartWith(prefix + "openai:nomic-embed-text:64:"), "keyed by model and content hash");
        }
        finally
        {
            foreach (var text in new[] { "alpha chunk", "beta chunk", "gamma chunk" })
            {
                await redis.GetDatabase().KeyDeleteAsync(cached.Key(text));
            }
        }
    }
}
