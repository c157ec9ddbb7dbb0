using System.Text.Json.Serialization;
using Elastic.Clients.Elasticsearch;
using Elastic.Clients.Elasticsearch.Analysis;
using Elastic.Clients.Elasticsearch.Core.Bulk;
using Elastic.Clients.Elasticsearch.IndexManagement;
using Elastic.Clients.Elasticsearch.Mapping;
using Elastic.Clients.Elasticsearch.QueryDsl;
using Elastic.Transport;
using Elastic.Transport.Products.Elasticsearch;
using Microsoft.Extensions.Options;
using EsSearchRequest = Elastic.Clients.Elasticsearch.SearchRequest;

namespace Platform.Search;

/// <summary>
/// Elasticsearch as the search index, through the official client (Elastic.Clients.Elasticsearch): chunks go in with
/// <c>_bulk</c> keyed by chunk id (so a repeat is an overwrite), keyword search is a BM25 <c>match</c> on the pre-tokenised
/// search text (whitespace analyzer, so Chinese bigrams match as they do in the database), vector search is the top-level
/// <c>knn</c> option on a cosine <c>dense_vector</c>. Tenant, model and document filters are term filters inside both.
/// </summary>
public sealed class ElasticsearchIndex(ElasticsearchClient client, IOptions<SearchOptions> options, IEmbedder embedder) : ISearchIndex
{
    private const string Analyzer = "platform_tokens";
    private readonly string _index = options.Value.ElasticsearchIndex;
    private volatile bool _ensured;

    public static ElasticsearchClient CreateClient(SearchOptions options)
    {
        var settings = new ElasticsearchClientSettings(new Uri(options.ElasticsearchUrl!)).DefaultIndex(options.ElasticsearchIndex);
        if (!string.IsNullOrWhiteSpace(options.ElasticsearchApiKey))
        {
            settings.Authentication(new ApiKey(options.ElasticsearchApiKey));
        }
        return new ElasticsearchClient(settings);
    }

    /// <summary>The document as stored: keyword ids, whitespace-analysed text, the vector.</summary>
    public sealed record ChunkDocument(
        [property: JsonPropertyName("chunk_id")] string ChunkId,
        [property: JsonPropertyName("tenant_id")] string TenantId,
        [property: JsonPropertyName("document_id")] string DocumentId,
        [property: JsonPropertyName("model")] string Model,
        [property: JsonPropertyName("search_text")] string SearchText,
        [property: JsonPropertyName("embedding")] float[] Embedding);

    public async Task IndexAsync(string tenantId, IReadOnlyList<IndexedChunk> chunks, CancellationToken ct = default)
    {
        if (chunks.Count == 0)
        {
            return;
        }
        await EnsureIndexAsync(ct);
        var operations = new BulkOperationsCollection();
        foreach (var c in chunks)
        {
            var document = new ChunkDocument(c.ChunkId.ToString(), tenantId, c.DocumentId.ToString(), embedder.Model, c.SearchText, c.Vector);
            operations.Add(new BulkIndexOperation<ChunkDocument>(document) { Id = c.ChunkId.ToString() });
        }
        var response = await client.BulkAsync(new BulkRequest(_index) { Operations = operations, Refresh = Refresh.WaitFor }, ct);
        if (response.ItemsWithErrors.FirstOrDefault() is { } failed)
        {
            throw new InvalidOperationException(
                $"Elasticsearch rejected part of a bulk request: {failed.Error?.Type}: {failed.Error?.Reason} (chunk {failed.Id})");
        }
        Check(response, "bulk index");
    }

    public async Task DeleteDocumentAsync(string tenantId, Guid documentId, CancellationToken ct = default)
    {
        await EnsureIndexAsync(ct);
        var request = new DeleteByQueryRequest(_index)
        {
            Query = new BoolQuery { Filter = Filters(tenantId, [documentId], model: false) }, Refresh = true, Conflicts = Conflicts.Proceed,
        };
        Check(await client.DeleteByQueryAsync(request, ct), "delete by query");
    }

    public async Task<IReadOnlyList<(Guid ChunkId, double Score)>> KeywordAsync(string tenantId, IReadOnlyList<string> tokens,
        IReadOnlyCollection<Guid>? documentIds, int limit, CancellationToken ct = default)
    {
        if (tokens.Count == 0)
        {
            return [];
        }
        await EnsureIndexAsync(ct);
        return await SearchAsync(KeywordQuery(tenantId, tokens, documentIds, limit), ct);
    }

    public async Task<IReadOnlyList<(Guid ChunkId, double Score)>> VectorAsync(string tenantId, float[] query,
        IReadOnlyCollection<Guid>? documentIds, int limit, CancellationToken ct = default)
    {
        await EnsureIndexAsync(ct);
        return await SearchAsync(KnnQuery(tenantId, query, documentIds, limit), ct);
    }

    public EsSearchRequest KeywordQuery(string tenantId, IReadOnlyList<string> tokens, IReadOnlyCollection<Guid>? documentIds, int limit) =>
        new(_index)
        {
            Size = limit,
            Source = false,
            Query = new BoolQuery
            {
                Must = [new MatchQuery("search_text", string.Join(' ', tokens.Distinct()))],
                Filter = Filters(tenantId, documentIds),
            },
        };

    /// <summary>Top-level kNN with the filters applied during the search (not after), so k hits survive filtering.</summary>
    public EsSearchRequest KnnQuery(string tenantId, float[] query, IReadOnlyCollection<Guid>? documentIds, int limit) =>
        new(_index)
        {
            Size = limit,
            Source = false,
            Knn =
            [
                new KnnSearch("embedding")
                {
                    QueryVector = query, K = limit, NumCandidates = Math.Max(100, limit * 4), Filter = Filters(tenantId, documentIds),
                },
            ],
        };

    /// <summary>The index: keyword ids, whitespace-analysed text, cosine dense_vector of the embedder's size.</summary>
    public CreateIndexRequest CreateIndexRequest() => new(_index)
    {
        Settings = new IndexSettings
        {
            Analysis = new IndexSettingsAnalysis { Analyzers = new Analyzers { { Analyzer, new CustomAnalyzer("whitespace") } } },
        },
        Mappings = new TypeMapping
        {
            Properties = new Properties
            {
                { "chunk_id", new KeywordProperty() },
                { "tenant_id", new KeywordProperty() },
                { "document_id", new KeywordProperty() },
                { "model", new KeywordProperty() },
                { "search_text", new TextProperty { Analyzer = Analyzer } },
                { "embedding", new DenseVectorProperty { Dims = embedder.Dimensions, Index = true, Similarity = DenseVectorSimilarity.Cosine } },
            },
        },
    };

    private List<Query> Filters(string tenantId, IReadOnlyCollection<Guid>? documentIds, bool model = true)
    {
        var filters = new List<Query> { new TermQuery("tenant_id", tenantId) };
        if (model)
        {
            filters.Add(new TermQuery("model", embedder.Model));
        }
        if (documentIds is { Count: > 0 })
        {
            filters.Add(new TermsQuery("document_id", documentIds.Select(d => FieldValue.String(d.ToString())).ToArray()));
        }
        return filters;
    }

    private async Task<IReadOnlyList<(Guid ChunkId, double Score)>> SearchAsync(EsSearchRequest request, CancellationToken ct)
    {
        var response = await client.SearchAsync<ChunkDocument>(request, ct);
        Check(response, "search");
        return response.Hits.Select(h => (Guid.Parse(h.Id!), h.Score ?? 0)).ToList();
    }

    private async Task EnsureIndexAsync(CancellationToken ct)
    {
        if (_ensured)
        {
            return;
        }
        var exists = await client.Indices.ExistsAsync(_index, ct);
        if (!exists.Exists)
        {
            var created = await client.Indices.CreateAsync(CreateIndexRequest(), ct);
            // resource_already_exists_exception: another process won the race, which is fine.
            if (created.ElasticsearchServerError?.Error?.Type != "resource_already_exists_exception")
            {
                Check(created, $"create index {_index}");
            }
        }
        _ensured = true;
    }

    private static void Check(ElasticsearchResponse response, string what)
    {
        if (!response.IsValidResponse)
        {
            var error = response.ElasticsearchServerError?.Error;
            var status = response.ApiCallDetails.HttpStatusCode;
            throw new HttpRequestException(error is null
                ? $"Elasticsearch {what} failed ({status?.ToString() ?? "no answer"}): {response.ApiCallDetails.OriginalException?.GetBaseException().Message}"
                : $"Elasticsearch {what} failed ({status}): {error.Type}: {error.Reason}",
                response.ApiCallDetails.OriginalException, status is { } s ? (System.Net.HttpStatusCode)s : null);
        }
    }
}
