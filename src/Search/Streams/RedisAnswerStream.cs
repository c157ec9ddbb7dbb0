using System.Runtime.CompilerServices;
using System.Text.Json;
using StackExchange.Redis;

namespace Platform.Search.Streams;

/// <summary>
/// The answer stream across processes: each event is appended to a Redis list (the replay log, expiring after an hour)
/// and announced on a pub/sub channel of the same name. Readers wake on the announcement and read the list from where they
/// are, so a missed or duplicated message never loses or repeats a token.
/// </summary>
public sealed class RedisAnswerStream(ConnectionMultiplexer redis, string prefix = "platform:") : IAnswerStream
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    public async Task PublishAsync(Guid answerId, AnswerEvent e, CancellationToken ct = default)
    {
        var key = Key(answerId);
        var db = redis.GetDatabase();
        await db.ListRightPushAsync(key, JsonSerializer.Serialize(new[] { e.Type, e.Data }));
        await db.KeyExpireAsync(key, Lifetime);
        await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(key), "1");
    }

    public async IAsyncEnumerable<AnswerEvent> ReadAsync(Guid answerId, TimeSpan idle, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var key = Key(answerId);
        var db = redis.GetDatabase();
        var subscriber = redis.GetSubscriber();
        var wake = new SemaphoreSlim(0);
        Action<RedisChannel, RedisValue> handler = (_, _) => wake.Release();
        await subscriber.SubscribeAsync(RedisChannel.Literal(key), handler); // before the first read, so nothing published in between is missed
        try
        {
            long next = 0;
            while (!ct.IsCancellationRequested)
            {
                var fresh = await db.ListRangeAsync(key, next, -1);
                next += fresh.Length;
                foreach (var raw in fresh)
                {
                    var parts = JsonSerializer.Deserialize<string[]>((string)raw!)!;
                    var e = new AnswerEvent(parts[0], parts[1]);
                    yield return e;
                    if (e.IsFinal)
                    {
                        yield break;
                    }
                }
                if (fresh.Length == 0 && !await wake.WaitAsync(idle, ct))
                {
                    yield return new AnswerEvent(AnswerEvent.Idle, "");
                }
            }
        }
        finally
        {
            await subscriber.UnsubscribeAsync(RedisChannel.Literal(key), handler);
        }
    }

    private string Key(Guid answerId) => $"{prefix}answer:{answerId:N}";
}
