using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Platform.Infrastructure.Search;

/// <summary>
/// The Redis connection of the AI features (embedding cache, answer streams), opened on first use. StackExchange.Redis 1.2.6
/// is the only version that restores here, hence the old API (ConnectionMultiplexer.Connect).
/// </summary>
public sealed class SearchRedis(IOptions<RedisOptions> options) : IDisposable
{
    private readonly Lazy<ConnectionMultiplexer?> _connection = new(() =>
    {
        if (string.IsNullOrWhiteSpace(options.Value.Configuration))
        {
            return null;
        }
        var config = ConfigurationOptions.Parse(options.Value.Configuration);
        config.AbortOnConnectFail = false; // reconnect in the background instead of failing the host
        return ConnectionMultiplexer.Connect(config);
    });

    public bool Configured => !string.IsNullOrWhiteSpace(options.Value.Configuration);

    public ConnectionMultiplexer Connection => _connection.Value ?? throw new InvalidOperationException("Redis is not configured.");

    public void Dispose()
    {
        if (_connection.IsValueCreated)
        {
            _connection.Value?.Dispose();
        }
    }
}
