namespace Platform.Search;

/// <summary>Section <c>Search</c>.</summary>
public sealed class SearchOptions
{
    public const string Section = "Search";

    /// <summary><c>Sql</c> (default: database full-text + in-process vectors) or <c>Elasticsearch</c>.</summary>
    public string Backend { get; set; } = "Sql";

    /// <summary>Elasticsearch base URL, e.g. <c>http://127.0.0.1:9200</c>.</summary>
    public string? ElasticsearchUrl { get; set; }

    /// <summary>Index holding the chunks (default <c>platform-chunks</c>); created with its mapping on first use.</summary>
    public string ElasticsearchIndex { get; set; } = "platform-chunks";

    /// <summary>Optional <c>Authorization: ApiKey</c> value.</summary>
    public string? ElasticsearchApiKey { get; set; }

    /// <summary>
    /// <c>Int8</c> (default): the in-process vector scan reads an int8 copy of the vectors (a quarter of the bytes) and
    /// re-scores its best <see cref="VectorRescoreCandidates"/> exactly in float32, which keeps both copies in memory (1.25×
    /// the float32 size). <c>Float32</c>: the exact scan over the float32 vectors only.
    /// </summary>
    public string VectorPrecision { get; set; } = "Int8";

    /// <summary>How many int8 candidates are re-scored in float32 (at least the number of hits asked for). Default 200.</summary>
    public int VectorRescoreCandidates { get; set; } = 200;

    /// <summary>Threads for one vector scan of a large tenant (0: one per core). Tenants under 32k chunks use one.</summary>
    public int ScanThreads { get; set; }

    /// <summary>
    /// SQLite keyword search: when the query's terms together occur in more chunks than this, only the rarest terms (up to
    /// this many chunks) select candidates, which are then scored with every term (bm25, as FTS5 computes it). 0: rank every
    /// chunk matching any term. Default 4000.
    /// </summary>
    public int KeywordRankBudget { get; set; } = 4000;

    /// <summary>
    /// How much a keyword candidate gains when its text holds the query's words next to each other (see
    /// <see cref="ProximityRanking"/>): added to its keyword score over the best candidate's, times the share of the query's
    /// neighbouring word pairs it holds. 0 turns the re-ordering off. Default 0.7 (bench/quality, docs/benchmarks.md).
    /// </summary>
    public double ProximityWeight { get; set; } = 0.7;

    /// <summary>How many of keyword's best candidates are re-ordered by proximity. Default 20.</summary>
    public int ProximityDepth { get; set; } = 20;

    public bool UsesInt8Vectors => string.Equals(VectorPrecision, "Int8", StringComparison.OrdinalIgnoreCase);

    public int EffectiveScanThreads => ScanThreads > 0 ? ScanThreads : Environment.ProcessorCount;

    public bool UsesElasticsearch => string.Equals(Backend, "Elasticsearch", StringComparison.OrdinalIgnoreCase);
}
