using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Search;

namespace Platform.Tests.Ai;

/// <summary>
/// An OpenAI-compatible server speaking the documented shapes: <c>POST /v1/embeddings</c> →
/// <c>{"object":"list","data":[{"object":"embedding","index":i,"embedding":[…]}],"model":…,"usage":{…}}</c>, and
/// <c>POST /v1/chat/completions</c>, with <c>"stream":true</c> as server-sent <c>chat.completion.chunk</c> events ending in
/// <c>data: [DONE]</c>, else one <c>chat.completion</c>. Failures to inject are queued: (status, Retry-After).
/// Vectors come from the built-in embedder, so search behaves as with the default.
/// </summary>
public sealed class FakeOpenAi : IAsyncDisposable
{
    private readonly BuiltInEmbedder _vectors;
    private LoopbackServer _server = null!;

    private FakeOpenAi(int dimensions) =>
        _vectors = new BuiltInEmbedder(Options.Create(new EmbeddingOptions { Dimensions = dimensions }));

    public ConcurrentQueue<(int Status, string? RetryAfter)> Failures { get; } = new();

    public ConcurrentQueue<JsonNode> EmbeddingRequests { get; } = new();

    public ConcurrentQueue<JsonNode> ChatRequests { get; } = new();

    /// <summary>What the chat model replies, as the deltas it streams.</summary>
    public Func<JsonNode, IReadOnlyList<string>> Reply { get; set; } = _ => ["Hello", " world."];

    /// <summary>Pause between streamed deltas, so a client can join an answer while it is being generated.</summary>
    public TimeSpan DeltaDelay { get; set; } = TimeSpan.Zero;

    public Uri BaseUrl => new(_server.Address, "v1");

    public int EmbeddingCalls => EmbeddingRequests.Count;

    public static async Task<FakeOpenAi> StartAsync(int dimensions = 64)
    {
        var fake = new FakeOpenAi(dimensions);
        fake._server = await LoopbackServer.StartAsync(app =>
        {
            app.MapPost("/v1/embeddings", fake.EmbeddingsAsync);
            app.MapPost("/v1/chat/completions", fake.ChatAsync);
        });
        return fake;
    }

    private async Task EmbeddingsAsync(HttpContext http)
    {
        var body = (await JsonNode.ParseAsync(http.Request.Body))!;
        if (await FailAsync(http))
        {
            return;
        }
        EmbeddingRequests.Enqueue(body);
        var inputs = body["input"] is JsonArray a ? a.Select(x => x!.GetValue<string>()).ToList() : [body["input"]!.GetValue<string>()];
        var data = new JsonArray(inputs.Select((text, i) => (JsonNode)new JsonObject
        {
            ["object"] = "embedding", ["index"] = i,
            ["embedding"] = new JsonArray(_vectors.Embed(text).Select(v => (JsonNode)v).ToArray()),
        }).ToArray());
        await http.Response.WriteAsJsonAsync(new JsonObject
        {
            ["object"] = "list", ["data"] = data, ["model"] = body["model"]?.GetValue<string>(),
            ["usage"] = new JsonObject { ["prompt_tokens"] = inputs.Count, ["total_tokens"] = inputs.Count },
        });
    }

    private async Task ChatAsync(HttpContext http)
    {
        var body = (await JsonNode.ParseAsync(http.Request.Body))!;
        if (await FailAsync(http))
        {
            return;
        }
        ChatRequests.Enqueue(body);
        var deltas = Reply(body);
        var model = body["model"]?.GetValue<string>() ?? "fake";
        if (body["stream"]?.GetValue<bool>() == true)
        {
            http.Response.ContentType = "text/event-stream";
            await WriteChunk(http, model, new JsonObject { ["role"] = "assistant", ["content"] = "" }, null);
            foreach (var d in deltas)
            {
                await WriteChunk(http, model, new JsonObject { ["content"] = d }, null);
                if (DeltaDelay > TimeSpan.Zero)
                {
                    await Task.Delay(DeltaDelay);
                }
            }
            await WriteChunk(http, model, new JsonObject(), "stop");
            await http.Response.WriteAsync("data: [DONE]\n\n");
            return;
        }
        await http.Response.WriteAsJsonAsync(new JsonObject
        {
            ["id"] = "chatcmpl-1", ["object"] = "chat.completion", ["created"] = 1700000000, ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0, ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = string.Concat(deltas) },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 10, ["completion_tokens"] = 5, ["total_tokens"] = 15 },
        });
    }

    private static async Task WriteChunk(HttpContext http, string model, JsonObject delta, string? finish)
    {
        var chunk = new JsonObject
        {
            ["id"] = "chatcmpl-1", ["object"] = "chat.completion.chunk", ["created"] = 1700000000, ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
        };
        await http.Response.WriteAsync($"data: {chunk.ToJsonString()}\n\n");
        await http.Response.Body.FlushAsync();
    }

    private async Task<bool> FailAsync(HttpContext http)
    {
        if (!Failures.TryDequeue(out var failure))
        {
            return false;
        }
        http.Response.StatusCode = failure.Status;
        if (failure.RetryAfter is not null)
        {
            http.Response.Headers.RetryAfter = failure.RetryAfter;
        }
        await http.Response.WriteAsJsonAsync(new { error = new { message = "Rate limit reached", type = "requests", code = "rate_limit_exceeded" } });
        return true;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

/// <summary>A clock whose timers fire at once and remember what they were asked to wait: retry delays without waiting.</summary>
public sealed class InstantTimers : TimeProvider
{
    public ConcurrentQueue<TimeSpan> Waits { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Waits.Enqueue(dueTime);
        return TimeProvider.System.CreateTimer(callback, state, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }
}
