using System.Security.Claims;
using System.Text.Json;
using Platform.Api.Auth;
using Platform.Data;
using Platform.Search.Streams;

namespace Platform.Api.Endpoints;

/// <summary>
/// <c>GET /api/v1/answers/{id}/stream</c>: the answer as server-sent events. <c>event: token</c> carries <c>{"text":…}</c>
/// deltas whose concatenation is the stored answer text; <c>event: reset</c> means a retried attempt starts over (drop what
/// came so far); <c>event: done</c> carries the stored answer (text and citations); <c>event: error</c> a failure.
/// A finished answer is sent at once from the store; otherwise the live stream is replayed from its start and followed,
/// and the job is checked whenever the stream goes quiet, so the response always ends.
/// </summary>
public static class AnswerStreamEndpoint
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    public static async Task StreamAsync(Guid id, ClaimsPrincipal user, JobStore jobs, IAnswerStream stream, HttpContext http,
        CancellationToken ct)
    {
        var job = await jobs.GetAsync(id, user.TenantId(), ct);
        if (job is not { Type: JobTypes.Answer })
        {
            await Problems.NotFound("Answer", id).ExecuteAsync(http);
            return;
        }
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no"; // let reverse proxies pass events through as they come
        if (await FinishedAsync(job, "", http, ct))
        {
            return;
        }

        var sent = new System.Text.StringBuilder();
        await foreach (var e in stream.ReadAsync(id, Quiet, ct))
        {
            switch (e.Type)
            {
                case AnswerEvent.Reset:
                    sent.Clear();
                    await WriteAsync(http, AnswerEvent.Reset, "{}", ct);
                    break;
                case AnswerEvent.Token:
                    sent.Append(e.Data);
                    await WriteAsync(http, AnswerEvent.Token, JsonSerializer.Serialize(new { text = e.Data }), ct);
                    break;
                case AnswerEvent.Done or AnswerEvent.Error:
                    await WriteAsync(http, e.Type, e.Data, ct);
                    return;
                case AnswerEvent.Idle:
                    await http.Response.WriteAsync(": waiting\n\n", ct);
                    await http.Response.Body.FlushAsync(ct);
                    if (await jobs.GetAsync(id, user.TenantId(), ct) is { } current && await FinishedAsync(current, sent.ToString(), http, ct))
                    {
                        return;
                    }
                    break;
            }
        }
    }

    /// <summary>When the job has ended: sends what the client has not yet seen of the stored answer (or the error). True if ended.</summary>
    private static async Task<bool> FinishedAsync(Job job, string alreadySent, HttpContext http, CancellationToken ct)
    {
        if (job.Status == JobStatus.Succeeded && job.Result is not null)
        {
            var text = JsonDocument.Parse(job.Result).RootElement.GetProperty("text").GetString() ?? "";
            if (!text.StartsWith(alreadySent, StringComparison.Ordinal))
            {
                await WriteAsync(http, AnswerEvent.Reset, "{}", ct);
                alreadySent = "";
            }
            if (text.Length > alreadySent.Length)
            {
                await WriteAsync(http, AnswerEvent.Token, JsonSerializer.Serialize(new { text = text[alreadySent.Length..] }), ct);
            }
            await WriteAsync(http, AnswerEvent.Done, job.Result, ct);
            return true;
        }
        if (job.Status is JobStatus.Failed or JobStatus.Cancelled)
        {
            await WriteAsync(http, AnswerEvent.Error, JsonSerializer.Serialize(new { code = job.ErrorCode, message = job.ErrorMessage, status = job.Status }), ct);
            return true;
        }
        return false;
    }

    private static async Task WriteAsync(HttpContext http, string type, string data, CancellationToken ct)
    {
        // data lines may not contain raw newlines; JSON from System.Text.Json has none unless indented.
        await http.Response.WriteAsync($"event: {type}\ndata: {data.ReplaceLineEndings(" ")}\n\n", ct);
        await http.Response.Body.FlushAsync(ct);
    }
}
