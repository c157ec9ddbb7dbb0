using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Platform.Redis;
using Platform.ServiceDefaults;
using Platform.Search.Graph;
using Platform.Search.Models;
using Platform.Search.Streams;

namespace Platform.Search;

public static class SearchServices
{
    /// <summary>Embedder (built-in, OpenAI-compatible or a local model; model vectors Redis-cached), search index (database or Elasticsearch), hybrid search, tags.</summary>
    public static IHostApplicationBuilder AddPlatformSearch(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddPlatformRedis();
        // Degraded, not Unhealthy: without Redis the hosts still serve (cache misses, in-process streams), so readiness
        // stays with the database and the broker; the report still shows Redis down.
        services.AddHealthChecks().Add(new HealthCheckRegistration("redis",
            sp => RedisExtensions.HealthCheck(sp.GetRequiredService<RedisConnection>()), HealthStatus.Degraded, [HealthTags.Ready]));
        services.AddOptions<EmbeddingOptions>().BindConfiguration(EmbeddingOptions.Section)
            .Validate(o => o.Dimensions is >= 16 and <= 4096, "Embeddings:Dimensions must be between 16 and 4096.")
            .Validate(o => o.UsesOpenAi || o.UsesLocalModel || string.Equals(o.Provider, "BuiltIn", StringComparison.OrdinalIgnoreCase),
                "Embeddings:Provider must be BuiltIn, OpenAI, MiniLM or ArcticXs.")
            .Validate(o => o.BlendBuiltIn is >= 0 and < 1, "Embeddings:BlendBuiltIn must be at least 0 and below 1.")
            .Validate(o => o.BatchSize is >= 1 and <= 2048 && o.MaxRetries is >= 0 and <= 20, "Embeddings:BatchSize 1–2048, MaxRetries 0–20.")
            .ValidateOnStart();
        services.AddOptions<SearchOptions>().BindConfiguration(SearchOptions.Section)
            .Validate(o => !o.UsesElasticsearch || Uri.TryCreate(o.ElasticsearchUrl, UriKind.Absolute, out _),
                "Search:ElasticsearchUrl must be an absolute URL when Search:Backend is Elasticsearch.")
            .Validate(o => o.UsesElasticsearch || string.Equals(o.Backend, "Sql", StringComparison.OrdinalIgnoreCase),
                "Search:Backend must be Sql or Elasticsearch.")
            .Validate(o => o.UsesInt8Vectors || string.Equals(o.VectorPrecision, "Float32", StringComparison.OrdinalIgnoreCase),
                "Search:VectorPrecision must be Int8 or Float32.")
            .Validate(o => o.VectorRescoreCandidates is >= 1 and <= 100_000 && o.ScanThreads is >= 0 and <= 256 && o.KeywordRankBudget >= 0,
                "Search:VectorRescoreCandidates 1–100000, ScanThreads 0–256, KeywordRankBudget ≥ 0.")
            .Validate(o => o.ProximityWeight is >= 0 and <= 10 && o.ProximityDepth is >= 1 and <= 200,
                "Search:ProximityWeight 0–10, ProximityDepth 1–200.")
            .ValidateOnStart();

        services.AddSingleton<BuiltInEmbedder>();
        services.AddSingleton<OpenAiEmbedder>();
        services.AddSingleton<IEmbedder>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<EmbeddingOptions>>().Value;
            if (o.UsesLocalModel)
            {
                return LocalModel(sp, o);
            }
            if (!o.UsesOpenAi)
            {
                return sp.GetRequiredService<BuiltInEmbedder>(); // hashing is cheaper than a Redis round trip: no cache
            }
            return Cached(sp, o, sp.GetRequiredService<OpenAiEmbedder>());
        });

        services.AddSingleton<VectorIndex>();
        services.AddSingleton<SqlSearchIndex>();
        services.AddSingleton(sp => new ElasticsearchIndex(
            ElasticsearchIndex.CreateClient(sp.GetRequiredService<IOptions<SearchOptions>>().Value),
            sp.GetRequiredService<IOptions<SearchOptions>>(), sp.GetRequiredService<IEmbedder>()));
        services.AddSingleton<ISearchIndex>(sp => sp.GetRequiredService<IOptions<SearchOptions>>().Value.UsesElasticsearch
            ? sp.GetRequiredService<ElasticsearchIndex>()
            : sp.GetRequiredService<SqlSearchIndex>());
        services.AddSingleton<DocumentTags>();
        services.AddSingleton<IAnswerStream>(sp => sp.GetRequiredService<RedisConnection>() is { Configured: true } redis
            ? new RedisAnswerStream(redis.Connection)
            : new InProcessAnswerStream(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<HybridSearch>();

        services.AddOptions<GraphOptions>().BindConfiguration(GraphOptions.Section)
            .Validate(o => !o.UsesNeo4j || Uri.TryCreate(o.Neo4jUrl, UriKind.Absolute, out _), "Graph:Neo4jUrl must be an absolute URL when Graph:Store is Neo4j.")
            .Validate(o => o.UsesNeo4j || string.Equals(o.Store, "Sql", StringComparison.OrdinalIgnoreCase), "Graph:Store must be Sql or Neo4j.")
            .Validate(o => o.MinMentions is >= 1 and <= 1000, "Graph:MinMentions must be between 1 and 1000.")
            .ValidateOnStart();
        services.AddSingleton<SqlGraphStore>();
        services.AddHttpClient<Neo4jGraphStore>((sp, http) => Neo4jGraphStore.Configure(http, sp.GetRequiredService<IOptions<GraphOptions>>().Value));
        services.AddSingleton<IGraphStore>(sp => sp.GetRequiredService<IOptions<GraphOptions>>().Value.UsesNeo4j
            ? sp.GetRequiredService<Neo4jGraphStore>()
            : sp.GetRequiredService<SqlGraphStore>());
        return builder;
    }

    private static IEmbedder LocalModel(IServiceProvider sp, EmbeddingOptions o)
    {
        var builtIn = sp.GetRequiredService<BuiltInEmbedder>();
        if (sp.GetService<ILocalEmbedders>() is not { } local || !local.Supports(o.Provider))
        {
            sp.GetRequiredService<ILogger<BuiltInEmbedder>>().LogWarning(
                "Embeddings:Provider {Provider} runs only in the hosts that embed (AI worker, single process); this host embeds queries with the built-in embedder, so its searches rank by keywords",
                o.Provider);
            return builtIn;
        }
        // The model's half is cached, not the blend: a chunk costs the model ≈ 40 ms of CPU (bench/quality), far more than a
        // Redis read, and a change of Embeddings:BlendBuiltIn then re-embeds from the cache.
        var model = Cached(sp, o, local.Create(o.Provider));
        return o.BlendBuiltIn > 0 ? new BlendedEmbedder(model, builtIn, 1 - o.BlendBuiltIn) : model;
    }

    private static IEmbedder Cached(IServiceProvider sp, EmbeddingOptions o, IEmbedder inner)
    {
        var redis = sp.GetRequiredService<RedisConnection>();
        return o.Cache && redis.Configured
            ? new CachingEmbedder(inner, redis.Connection.GetDatabase(), o.CacheKeyPrefix, o.CacheTtl, sp.GetRequiredService<ILogger<CachingEmbedder>>())
            : inner;
    }
}
