namespace Platform.Search.Graph;

/// <summary>Section <c>Graph</c>.</summary>
public sealed class GraphOptions
{
    public const string Section = "Graph";

    /// <summary>Extract entities and relations after embedding (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The rule-based extractor keeps a name only when its document mentions it at least this often (any case; default 2,
    /// 1–1000): a name said once is mostly a heading word or noise. Names in table rows are kept at one mention (a row names
    /// each thing once).
    /// </summary>
    public int MinMentions { get; set; } = 2;

    /// <summary><c>Sql</c> (default: tables in the system-of-record database) or <c>Neo4j</c>.</summary>
    public string Store { get; set; } = "Sql";

    /// <summary>Neo4j HTTP base URL, e.g. <c>http://127.0.0.1:7474</c>.</summary>
    public string? Neo4jUrl { get; set; }

    /// <summary>Database name in the endpoint path <c>/db/{database}/tx/commit</c> (default <c>neo4j</c>).</summary>
    public string Neo4jDatabase { get; set; } = "neo4j";

    public string? Neo4jUser { get; set; }

    public string? Neo4jPassword { get; set; }

    public bool UsesNeo4j => string.Equals(Store, "Neo4j", StringComparison.OrdinalIgnoreCase);
}
