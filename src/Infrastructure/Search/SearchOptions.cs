namespace Platform.Infrastructure.Search;

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

    public bool UsesElasticsearch => string.Equals(Backend, "Elasticsearch", StringComparison.OrdinalIgnoreCase);
}
