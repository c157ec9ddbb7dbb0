using Platform.Tests.Support;

namespace Platform.Tests.Ai;

/// <summary>
/// The API process configured for an OpenAI-compatible embedding server (loopback, documented format) with the Redis cache:
/// ingestion embeds through it, search works on its vectors, and the same content uploaded again is not sent twice.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class OpenAiEmbeddingFlowTests
{
    [Test]
    public async Task Should_embed_through_the_server_and_serve_repeated_content_from_the_cache()
    {
        await using var server = await FakeOpenAi.StartAsync(dimensions: 128);
        var work = Directory.CreateTempSubdirectory("platform-ai-openai-").FullName;
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["Embeddings__Provider"] = "OpenAI", ["Embeddings__BaseUrl"] = server.BaseUrl.ToString(), ["Embeddings__Model"] = "fake-embed",
                ["Embeddings__Dimensions"] = "128", ["Embeddings__CacheKeyPrefix"] = $"test:{Guid.NewGuid():N}:", ["Embeddings__CacheTtl"] = "00:10:00",
                ["Redis__Configuration"] = TestServices.Redis,
            };
            await using var api = await HostProcess.StartAsync(HostProcess.Standalone, environment, work);
            var client = new PlatformClient(new HttpClient { BaseAddress = api.BaseAddress });
            var text = "# Storage\n\nJob state lives in PostgreSQL. Uploaded files live in the blob store.\n";

            var first = await client.UploadTextAsync("a.md", text);
            await client.WaitForSuccessAsync(first.GetGuid("jobId"));
            var callsAfterFirst = server.EmbeddingCalls;
            Assert.That(callsAfterFirst, Is.GreaterThan(0));

            var second = await client.UploadTextAsync("b.md", text);
            var result = (await client.WaitForSuccessAsync(second.GetGuid("jobId"))).GetProperty("result");
            Assert.That(result.GetProperty("model").GetString(), Is.EqualTo("openai:fake-embed:128"));
            Assert.That(result.GetProperty("embeddedCount").GetInt32(), Is.GreaterThan(0));

            var hits = (await client.PostJsonAsync("api/v1/search", new { query = "where does job state live", mode = "vector" },
                System.Net.HttpStatusCode.OK)).GetProperty("hits");
            Assert.That(hits.GetArrayLength(), Is.GreaterThan(0));
            // Chunks of the second document: all from the cache. The search's own query embedding is the only new call.
            Assert.That(server.EmbeddingCalls, Is.EqualTo(callsAfterFirst + 1));
        }
        finally
        {
            TestFolders.Delete(work);
        }
    }
}
