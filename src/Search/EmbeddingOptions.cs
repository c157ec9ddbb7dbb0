namespace Platform.Search;

/// <summary>Section <c>Embeddings</c>.</summary>
public sealed class EmbeddingOptions
{
    public const string Section = "Embeddings";

    /// <summary><c>BuiltIn</c> (default: deterministic, no download), <c>OpenAI</c> (any OpenAI-compatible endpoint), or a local
    /// ONNX model run in the AI worker: <c>MiniLM</c> (all-MiniLM-L6-v2) or <c>ArcticXs</c> (snowflake-arctic-embed-xs), 384
    /// dimensions, English only.</summary>
    public string Provider { get; set; } = "BuiltIn";

    /// <summary>Vector size (default 384). For <c>OpenAI</c> it must equal what the model returns.</summary>
    public int Dimensions { get; set; } = 384;

    /// <summary>Base URL of the OpenAI-compatible API, including <c>/v1</c> (e.g. <c>http://127.0.0.1:11434/v1</c> for Ollama).
    /// Empty: api.openai.com.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Embedding model name, e.g. <c>text-embedding-3-small</c> or <c>nomic-embed-text</c>.</summary>
    public string Model { get; set; } = "text-embedding-3-small";

    /// <summary>API key; servers that need none accept any value.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Send <see cref="Dimensions"/> in the request (models that can shorten vectors, like text-embedding-3-*).</summary>
    public bool RequestDimensions { get; set; }

    /// <summary>Texts per request to the model server (default 64).</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>Retries of a 429 or 5xx answer before giving up (default 5). Retry-After is honoured.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>Longest wait between retries, whatever Retry-After says (default 60 s).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Cache vectors in Redis (when <c>Redis:Configuration</c> is set), keyed by model and content hash (default true).</summary>
    public bool Cache { get; set; } = true;

    /// <summary>How long a cached vector lives (default 30 days).</summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Prefix of the cache keys (default <c>platform:emb:</c>).</summary>
    public string CacheKeyPrefix { get; set; } = "platform:emb:";

    /// <summary>With a local model: the built-in embedder's share of each vector (0: none; default 0.5), so Chinese text, which
    /// the English-only models cannot tell apart, still ranks by shared words.</summary>
    public double BlendBuiltIn { get; set; } = 0.5;

    public bool UsesLocalModel =>
        string.Equals(Provider, "MiniLM", StringComparison.OrdinalIgnoreCase) || string.Equals(Provider, "ArcticXs", StringComparison.OrdinalIgnoreCase);

    public bool UsesOpenAi => string.Equals(Provider, "OpenAI", StringComparison.OrdinalIgnoreCase);
}
