using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Platform.Tests.Support;

/// <summary>
/// A RabbitMQ virtual host of its own for one fixture, so the fixed queue names of several test runs never meet.
/// Created and inspected through the management HTTP API, deleted afterwards.
/// </summary>
public sealed class RabbitVhost : IAsyncDisposable
{
    private readonly HttpClient _http;

    private RabbitVhost(string name, HttpClient http)
    {
        Name = name;
        _http = http;
    }

    public string Name { get; }

    public string AmqpUri => $"amqp://guest:guest@{TestServices.RabbitMqHost}:5672/{Uri.EscapeDataString(Name)}";

    public static async Task<RabbitVhost> CreateAsync()
    {
        var http = new HttpClient { BaseAddress = TestServices.RabbitMqManagement };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes("guest:guest")));
        var name = $"test-{Guid.NewGuid():N}";
        (await http.PutAsync($"api/vhosts/{name}", null)).EnsureSuccessStatusCode();
        (await http.PutAsJsonAsync($"api/permissions/{name}/guest", new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        return new RabbitVhost(name, http);
    }

    /// <summary>Messages ready in a queue, or null when the queue does not exist.</summary>
    public Task<long?> ReadyMessagesAsync(string queue) => QueueFigureAsync(queue, "messages_ready");

    /// <summary>Consumers attached to a queue, or null when the queue does not exist.</summary>
    public Task<long?> ConsumersAsync(string queue) => QueueFigureAsync(queue, "consumers");

    private async Task<long?> QueueFigureAsync(string queue, string figure)
    {
        var response = await _http.GetAsync($"api/queues/{Name}/{queue}");
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.TryGetProperty(figure, out var value) ? value.GetInt64() : 0;
    }

    /// <summary>Polls until the queue reports the count (the management API's figures lag a few seconds).</summary>
    public async Task<long?> WaitForReadyMessagesAsync(string queue, long expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        long? ready;
        do
        {
            ready = await ReadyMessagesAsync(queue);
            if (ready == expected)
            {
                return ready;
            }
            await Task.Delay(500);
        } while (DateTime.UtcNow < deadline);
        return ready;
    }

    public async ValueTask DisposeAsync()
    {
        await _http.DeleteAsync($"api/vhosts/{Name}");
        _http.Dispose();
    }
}
