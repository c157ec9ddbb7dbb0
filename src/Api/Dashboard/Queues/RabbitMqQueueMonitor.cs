using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Data;
using Platform.Messages;

namespace Platform.Api.Dashboard.Queues;

/// <summary>
/// Queue figures from the RabbitMQ management HTTP API. Moving error messages back uses the same API (get with
/// <c>ack_requeue_false</c>, then publish to the default exchange), one message at a time: the dynamic shovel plugin
/// is not enabled on a stock RabbitMQ 3.10 and this needs nothing beyond the management plugin.
/// </summary>
public sealed class RabbitMqQueueMonitor(HttpClient http, string vhost, JobStore jobs, ILogger<RabbitMqQueueMonitor> logger)
    : IQueueMonitor
{
    public string Source => "rabbitmq";

    public bool CanMoveErrors => true;

    private string Vhost => Uri.EscapeDataString(vhost);

    /// <summary>The management client for a broker URI: host of the AMQP URI on 15672 unless configured, its credentials.</summary>
    public static (HttpClient Http, string Vhost) Connect(string amqpUri, string? managementUrl)
    {
        var amqp = new Uri(amqpUri);
        var vhost = amqp.AbsolutePath is "" or "/" ? "/" : Uri.UnescapeDataString(amqp.AbsolutePath.TrimStart('/'));
        var api = new Uri(string.IsNullOrWhiteSpace(managementUrl) ? $"http://{amqp.Host}:15672/" : managementUrl);
        var userInfo = api.UserInfo.Length > 0 ? api.UserInfo : amqp.UserInfo.Length > 0 ? amqp.UserInfo : "guest:guest";
        var http = new HttpClient { BaseAddress = new UriBuilder(api) { UserName = "", Password = "" }.Uri, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(userInfo))));
        return (http, vhost);
    }

    public async Task<IReadOnlyList<QueueView>> ListAsync(CancellationToken ct)
    {
        var views = new List<QueueView>();
        foreach (var queue in QueueNames.All)
        {
            var error = await GetAsync(queue + "_error", null, ct);
            views.Add(await GetAsync(queue, error, ct));
        }
        return views;
    }

    private async Task<QueueView> GetAsync(string name, QueueView? error, CancellationToken ct)
    {
        using var response = await http.GetAsync($"api/queues/{Vhost}/{Uri.EscapeDataString(name)}", ct);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return new QueueView(name, false, 0, 0, 0, null, null, error);
        }
        response.EnsureSuccessStatusCode();
        var q = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        return new QueueView(name, true, Long(q, "messages_ready"), Long(q, "messages_unacknowledged"), (int)Long(q, "consumers"),
            Rate(q, "publish_details"), Rate(q, "ack_details"), error);
    }

    private static long Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0;

    private static double? Rate(JsonElement q, string details) =>
        q.TryGetProperty("message_stats", out var stats) && stats.TryGetProperty(details, out var d) && d.TryGetProperty("rate", out var r)
            ? r.GetDouble() : null;

    public async Task<MoveResult> MoveErrorsBackAsync(string queue, int max, CancellationToken ct)
    {
        if (!QueueNames.All.Contains(queue))
        {
            throw new ArgumentException($"'{queue}' is not a command queue.", nameof(queue));
        }
        int moved = 0, requeued = 0;
        while (moved < max)
        {
            var got = await http.PostAsJsonAsync($"api/queues/{Vhost}/{Uri.EscapeDataString(queue + "_error")}/get",
                new { count = 1, ackmode = "ack_requeue_false", encoding = "auto", truncate = 64_000_000 }, ct);
            if (got.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                break;
            }
            got.EnsureSuccessStatusCode();
            var messages = await got.Content.ReadFromJsonAsync<JsonArray>(ct) ?? [];
            if (messages.Count == 0)
            {
                break;
            }
            var message = messages[0]!.AsObject();
            var payload = message["payload"]!.GetValue<string>();
            var encoding = message["payload_encoding"]!.GetValue<string>();
            var jobId = JobIdOf(payload, encoding);
            // The consumer skips a job that already ended, so the failed job goes back to queued first.
            if (jobId is { } id && await jobs.RequeueAsync(id, ct))
            {
                requeued++;
            }
            var properties = message["properties"]?.AsObject() ?? [];
            if (properties["headers"] is JsonObject headers)
            {
                foreach (var key in headers.Select(h => h.Key).Where(k => k.StartsWith("MT-Fault", StringComparison.Ordinal) || k == "MT-Reason").ToList())
                {
                    headers.Remove(key);
                }
            }
            var published = await http.PostAsJsonAsync($"api/exchanges/{Vhost}/amq.default/publish",
                new { properties = properties.DeepClone(), routing_key = queue, payload, payload_encoding = encoding }, ct);
            var routed = published.IsSuccessStatusCode
                && (await published.Content.ReadFromJsonAsync<JsonElement>(ct)).TryGetProperty("routed", out var r) && r.GetBoolean();
            if (!routed)
            {
                // Taken off the error queue but not delivered: log it whole so it can be replayed by hand.
                logger.LogError("Could not move a message back to {Queue}; payload ({Encoding}): {Payload}", queue, encoding, payload);
                throw new InvalidOperationException($"RabbitMQ did not route the message back to {queue}; its payload is in the log.");
            }
            if (jobId is { } sent)
            {
                await jobs.MarkDispatchedAsync(sent, ct);
            }
            moved++;
        }
        return new MoveResult(moved, requeued);
    }

    /// <summary>The job id in a MassTransit envelope (<c>{"message": {"jobId": …}}</c>), if there is one.</summary>
    private static Guid? JobIdOf(string payload, string encoding)
    {
        try
        {
            var text = encoding == "base64" ? Encoding.UTF8.GetString(Convert.FromBase64String(payload)) : payload;
            var envelope = JsonNode.Parse(text);
            return envelope?["message"]?["jobId"]?.GetValue<Guid>();
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }
}
