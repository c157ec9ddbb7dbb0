using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Platform.Data;
using StackExchange.Redis;

namespace Platform.Search;

/// <summary>
/// Puts a Redis cache in front of an embedder: key = prefix + model + SHA-256 of the text, value = the vector's bytes.
/// Unchanged chunks are never sent to the model twice, even across documents, tenants and re-ingestions. A Redis outage
/// only costs the cache, never the embedding.
/// </summary>
public sealed class CachingEmbedder(IEmbedder inner, IDatabase redis, string prefix, TimeSpan ttl, ILogger logger) : IEmbedder
{
    private long _hits;
    private long _misses;

    public string Model => inner.Model;

    public int Dimensions => inner.Dimensions;

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken ct = default)
    {
        var keys = texts.Select(t => (RedisKey)Key(t)).ToArray();
        RedisValue[] cached;
        try
        {
            cached = await redis.StringGetAsync(keys);
        }
        catch (RedisException ex)
        {
            logger.LogWarning("Embedding cache unavailable: {Reason}", ex.Message);
            return await inner.EmbedAsync(texts, ct);
        }

        var result = new float[texts.Count][];
        var missing = new List<int>();
        for (var i = 0; i < texts.Count; i++)
        {
            if (cached[i].HasValue && (byte[])cached[i]! is { } bytes && bytes.Length == Dimensions * sizeof(float))
            {
                result[i] = VectorCodec.FromBytes(bytes);
            }
            else
            {
                missing.Add(i);
            }
        }
        Interlocked.Add(ref _hits, texts.Count - missing.Count);
        Interlocked.Add(ref _misses, missing.Count);
        if (missing.Count == 0)
        {
            return result;
        }

        var fresh = await inner.EmbedAsync(missing.Select(i => texts[i]).ToList(), ct);
        var batch = redis.CreateBatch();
        var writes = new List<Task>(missing.Count);
        for (var j = 0; j < missing.Count; j++)
        {
            result[missing[j]] = fresh[j];
            writes.Add(batch.StringSetAsync(keys[missing[j]], VectorCodec.ToBytes(fresh[j]), ttl));
        }
        batch.Execute();
        try
        {
            await Task.WhenAll(writes);
        }
        catch (RedisException ex)
        {
            logger.LogWarning("Embedding cache write failed: {Reason}", ex.Message);
        }
        return result;
    }

    public string Key(string text) =>
        $"{prefix}{Model}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))}";
}
