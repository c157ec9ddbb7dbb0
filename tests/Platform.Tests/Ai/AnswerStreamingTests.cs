using System.Net;
using System.Text;
using System.Text.Json;
using Platform.Tests.Support;

namespace Platform.Tests.Ai;

/// <summary>
/// The API process (workers inside) answering through a chat model on loopback, read over
/// <c>GET /api/v1/answers/{id}/stream</c>: what is streamed is exactly what is stored. Once with the in-process stream,
/// once through Redis.
/// </summary>
[TestFixture(false)]
[TestFixture(true)]
[Category("EndToEnd")]
public sealed class AnswerStreamingTests(bool redis)
{
    [Test]
    public async Task Should_stream_exactly_the_answer_that_is_stored()
    {
        await using var model = await FakeOpenAi.StartAsync();
        model.DeltaDelay = TimeSpan.FromMilliseconds(40);
        var words = Enumerable.Range(0, 40).Select(i => $"word{i} ").Append("Job state lives in PostgreSQL [1].").ToList();
        model.Reply = _ => words;
        var work = Directory.CreateTempSubdirectory("platform-ai-stream-").FullName;
        try
        {
            var environment = new Dictionary<string, string> { ["Chat__Model"] = "fake-chat", ["Chat__BaseUrl"] = model.BaseUrl.ToString() };
            if (redis)
            {
                environment["Redis__Configuration"] = TestServices.Redis;
            }
            await using var api = await HostProcess.StartAsync(HostProcess.Standalone, environment, work);
            var client = new PlatformClient(new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromMinutes(2) });
            await client.WaitForSuccessAsync((await client.UploadTextAsync("guide.md", "# Storage\n\nJob state lives in PostgreSQL.\n")).GetGuid("jobId"));

            var asked = await client.PostJsonAsync("api/v1/answers", new { question = "Where does job state live?" });
            var (streamed, done, tokenEvents) = await ReadStreamAsync(client.Http, asked.GetGuid("jobId"));
            var stored = (await client.WaitForSuccessAsync(asked.GetGuid("jobId"))).GetProperty("result");

            Assert.That(streamed, Is.EqualTo(stored.GetProperty("text").GetString()));
            Assert.That(streamed, Is.EqualTo(string.Concat(words)));
            Assert.That(done.GetProperty("citations").GetArrayLength(), Is.EqualTo(1));
            Assert.That(done.GetProperty("mode").GetString(), Is.EqualTo("model:fake-chat"));
            Assert.That(tokenEvents, Is.GreaterThan(1), "joined while generating, so tokens arrived one by one, not from the store");

            // Asked again after the fact, the stream is served from the store, identically.
            var (again, _, _) = await ReadStreamAsync(client.Http, asked.GetGuid("jobId"));
            Assert.That(again, Is.EqualTo(streamed));
        }
        finally
        {
            TestFolders.Delete(work);
        }
    }

    /// <summary>Reads the SSE response to its end: the concatenated token texts (reset clears them) and the done payload.</summary>
    public static async Task<(string Text, JsonElement Done, int TokenEvents)> ReadStreamAsync(HttpClient http, Guid answerId)
    {
        using var response = await http.GetAsync($"api/v1/answers/{answerId}/stream", HttpCompletionOption.ResponseHeadersRead);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var text = new StringBuilder();
        var tokens = 0;
        string? type = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("event: "))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: "))
            {
                var data = JsonDocument.Parse(line[6..]).RootElement.Clone();
                switch (type)
                {
                    case "reset":
                        text.Clear();
                        break;
                    case "token":
                        text.Append(data.GetProperty("text").GetString());
                        tokens++;
                        break;
                    case "done":
                        return (text.ToString(), data, tokens);
                    case "error":
                        Assert.Fail($"The answer failed: {data}");
                        break;
                }
            }
        }
        Assert.Fail("The stream ended without a done event.");
        return default;
    }
}
