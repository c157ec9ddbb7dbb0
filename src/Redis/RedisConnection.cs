using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using HealthChecks.Redis;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Platform.Redis;

/// <summary>
/// The process's one Redis connection (shared rate limits, embedding cache, answer streams), opened on first use;
/// StackExchange.Redis multiplexes every caller over it. When <c>Redis:Configuration</c> is empty,
/// <see cref="Configured"/> is false and callers use their in-process sibling.
/// </summary>
public sealed class RedisConnection(IOptions<RedisOptions> options) : IDisposable
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

public static class RedisExtensions
{
    /// <summary>
    /// AspNetCore.HealthChecks.Redis over the process's connection (PING on each endpoint); when Redis is not configured,
    /// a check that says so, healthy, because the in-process siblings then do its work.
    /// </summary>
    public static IHealthCheck HealthCheck(RedisConnection redis) =>
        redis.Configured ? new RedisHealthCheck(redis.Connection) : new NotConfiguredCheck();

    private sealed class NotConfiguredCheck : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
            Task.FromResult(HealthCheckResult.Healthy("not configured: rate limits, embedding cache and answer streams are in-process"));
    }

    /// <summary>The optional shared Redis connection (<c>Redis:Configuration</c>); safe to call from several concerns.</summary>
    public static IServiceCollection AddPlatformRedis(this IServiceCollection services)
    {
        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.Section);
        services.TryAddSingleton<RedisConnection>();
        return services;
    }
}
