using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Platform.Tests.Support;

namespace Platform.Tests.Integration;

/// <summary>
/// Publishes raw bytes to, and reads messages from, a vhost through RabbitMQ's management HTTP API: a client that
/// knows nothing of MassTransit, the way an outside system sees the broker.
/// </summary>
public sealed class BrokerInspector(string vhost) : IDisposable
{
    private readonly HttpClient _http = Create();

    private static HttpClient Create()
    {
        var http = new HttpClient { BaseAddress = TestServices.RabbitMqManagement };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
        return http;
    }

    private string V => Uri.EscapeDataString(vhost);

    /// <summary>Publishes to an exchange; true when the broker routed it to at least one queue.</summary>
    public async Task<bool> PublishAsync(string exchange, string payload, string contentType, IDictionary<string, object>? headers = null)
    {
        var response = await _http.PostAsJsonAsync($"api/exchanges/{V}/{Uri.EscapeDataString(exchange)}/publish", new
        {
            properties = new Dictionary<string, object>
            {
                ["content_type"] = contentType, ["delivery_mode"] = 2, ["message_id"] = Guid.NewGuid().ToString(),
                ["headers"] = headers ?? new Dictionary<string, object>(),
            },
            routing_key = "",
            payload,
            payload_encoding = "string",
        });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("routed").GetBoolean();
    }

    /// <summary>Waits for a message whose body contains <paramref name="marker"/> in the queue; it stays in the queue.</summary>
    public async Task<BrokerMessage?> WaitForMessageAsync(string queue, string marker, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        do
        {
            var found = (await PeekAsync(queue)).FirstOrDefault(m => m.Payload.Contains(marker, StringComparison.Ordinal));
            if (found is not null)
            {
                return found;
            }
            await Task.Delay(250);
        } while (watch.Elapsed < timeout);
        return null;
    }

    /// <summary>Every message in the queue (read and requeued), or none when the queue does not exist.</summary>
    public async Task<IReadOnlyList<BrokerMessage>> PeekAsync(string queue)
    {
        var response = await _http.PostAsJsonAsync($"api/queues/{V}/{Uri.EscapeDataString(queue)}/get",
            new { count = 1000, ackmode = "ack_requeue_true", encoding = "auto" });
        if (!response.IsSuccessStatusCode)
        {
            return [];
        }
        var messages = await response.Content.ReadFromJsonAsync<JsonElement>();
        return messages.EnumerateArray().Select(m =>
        {
            var properties = m.GetProperty("properties");
            var headers = properties.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Object
                ? h.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString())
                : [];
            return new BrokerMessage(m.GetProperty("payload").GetString() ?? "", headers,
                properties.TryGetProperty("content_type", out var ct) ? ct.GetString() : null);
        }).ToList();
    }

    /// <summary>Declares a durable fanout exchange, as MassTransit declares event exchanges (what <c>rabbitmqadmin declare exchange</c> does).</summary>
    public async Task DeclareFanoutExchangeAsync(string exchange) =>
        (await _http.PutAsJsonAsync($"api/exchanges/{V}/{Uri.EscapeDataString(exchange)}",
            new { type = "fanout", durable = true, auto_delete = false, @internal = false, arguments = new { } })).EnsureSuccessStatusCode();

    public async Task<bool> ExchangeExistsAsync(string exchange) =>
        (await _http.GetAsync($"api/exchanges/{V}/{Uri.EscapeDataString(exchange)}")).IsSuccessStatusCode;

    public void Dispose() => _http.Dispose();
}

public sealed record BrokerMessage(string Payload, IReadOnlyDictionary<string, string> Headers, string? ContentType)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
