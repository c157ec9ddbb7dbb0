using System.Collections.Concurrent;
using Platform.Redis;
using StackExchange.Redis;

namespace Platform.Api.Security;

/// <summary>Counts requests per key and fixed window. Redis when configured (shared by replicas), else this process.</summary>
public interface IRateCounter
{
    /// <summary>Adds one request to the key's window and returns the window's count so far.</summary>
    Task<long> IncrementAsync(string key, long window, TimeSpan windowLength);
}

public sealed class RedisRateCounter(RedisConnection redis) : IRateCounter
{
    public async Task<long> IncrementAsync(string key, long window, TimeSpan windowLength)
    {
        var db = redis.Connection.GetDatabase();
        var redisKey = $"platform:ratelimit:{key}:{window}";
        var count = await db.StringIncrementAsync(redisKey);
        if (count == 1)
        {
            await db.KeyExpireAsync(redisKey, windowLength + windowLength, CommandFlags.FireAndForget);
        }
        return count;
    }
}

public sealed class InMemoryRateCounter : IRateCounter
{
    private readonly ConcurrentDictionary<(string, long), long> _counts = new();

    public Task<long> IncrementAsync(string key, long window, TimeSpan windowLength)
    {
        foreach (var stale in _counts.Keys.Where(k => k.Item2 < window - 1))
        {
            _counts.TryRemove(stale, out _);
        }
        return Task.FromResult(_counts.AddOrUpdate((key, window), 1, (_, n) => n + 1));
    }
}
