using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Platform.Infrastructure.Redis;

/// <summary>
/// The process's one Redis connection, opened on first use (StackExchange.Redis multiplexes all callers over it).
/// Null <see cref="Multiplexer"/> when <c>Redis:Configuration</c> is empty: callers then use their in-process sibling.
/// </summary>
public sealed class RedisConnection(IOptions<RedisOptions> options) : IDisposable
{
    private readonly Lazy<ConnectionMultiplexer?> _connection = new(() =>
        string.IsNullOrWhiteSpace(options.Value.Configuration)
            ? null
            : ConnectionMultiplexer.Connect(WithDefaults(options.Value.Configuration)));

    public bool Configured => !string.IsNullOrWhiteSpace(options.Value.Configuration);

    public ConnectionMultiplexer? Multiplexer => _connection.Value;

    // Keep trying in the background when Redis is down at start-up, instead of failing the host.
    private static string WithDefaults(string configuration) =>
        configuration.Contains("abortConnect", StringComparison.OrdinalIgnoreCase) ? configuration : configuration + ",abortConnect=false";

    public void Dispose()
    {
        if (_connection.IsValueCreated)
        {
            _connection.Value?.Dispose();
        }
    }
}
