// Hand-written over HttpClient: Elastic.Clients.Elasticsearch cannot be restored here.
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Platform.Search;

/// <summary>
/// Elasticsearch as the search index, over its REST API: chunks go in with <c>_bulk</c> (NDJSON), keyword search is a BM25
/// <c>match</c> on the pre-tokenised search text (whitespace analyzer, so Chinese bigrams match as they do in the database),
/// vector search is the top-level <c>knn</c> option on a cosine <c>dense_vector</c>. Tenant and document filters are
/// term filters inside both queries.
/// </summary>
public sealed class ElasticsearchIndex(HttpClient http, IOptions<SearchOptions> options, IEmbedder embedder) : ISearchIndex
{
    private readonly string _index = options.Value.ElasticsearchIndex;
    private volatile bool _ensured;

    public static void Configure(HttpClient http, SearchOptions options)
    {
        http.BaseAddress = new Uri(options.ElasticsearchUrl!.TrimEnd('/') + "/");
        if (!string.IsNullOrWhiteSpace(options.ElasticsearchApiKey))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", options.ElasticsearchApiKey);
        }
    }

    /// <summary>The index mapping: keyword ids, whitespace-analysed text, cosine dense_vector of the embedder's size.</summary>
    public JsonObject Mapping() => new()
    {
        ["settings"] = new JsonObject { ["analysis"] = new JsonObject { ["analyzer"] = new JsonObject
        {
            ["platform_tokens"] = new JsonObject { ["type"] = "custom", ["tokenizer"] = "whitespace" },
        } } },
        ["mappings"] = new JsonObject { ["properties"] = new JsonObject
        {
            ["chunk_id"] = new JsonObject { ["type"] = "keyword" },
            ["tenant_id"] = new JsonObject { ["type"] = "keyword" },
            ["document_id"] = new JsonObject { ["type"] = "keyword" },
            ["model"] = new JsonObject { ["type"] = "keyword" },
            ["search_text"] = new JsonObject { ["type"] = "text", ["analyzer"] = "platform_tokens" },
            ["embedding"] = new JsonObject
            {
                ["type"] = "dense_vector", ["dims"] = embedder.Dimensions, ["index"] = true, ["similarity"] = "cosine",
            },
        } },
    };

    public async Task IndexAsync(string tenantId, IReadOnlyList<IndexedChunk> chunks, CancellationToken ct = default)
    {
        if (chunks.Count == 0)
        {
            return;
        }
        await EnsureIndexAsync(ct);
        var body = BulkBody(tenantId, chunks, embedder.Model);
        using var content = new StringContent(body, Encoding.UTF8, "application/x-ndjson");
        using var response = await http.PostAsync($"{_index}/_bulk?refresh=wait_for", content, ct);
        var json = await ReadAsync(response, ct);
        if (json["errors"]?.GetValue<bool>() == true)
        {
            var first = json["items"]?.AsArray().Select(i => i?["index"]?["error"]).FirstOrDefault(e => e is not null);
            throw new InvalidOperationException($"Elasticsearch rejected part of a bulk request: {first?.ToJsonString()}");
        }
    }

    public string BulkBody(string tenantId, IReadOnlyList<IndexedChunk> chunks, string model)
    {
        var sb = new StringBuilder();
        foreach (var c in chunks)
        {
            sb.Append(new JsonObject { ["index"] = new JsonObject { ["_index"] = _index, ["_id"] = c.ChunkId.ToString() } }.ToJsonString()).Append('\n');
            sb.Append(new JsonObject
            {
                ["chunk_id"] = c.ChunkId.ToString(), ["tenant_id"] = tenantId, ["document_id"] = c.DocumentId.ToString(), ["model"] = model,
                ["search_text"] = c.SearchText, ["embedding"] = new JsonArray(c.Vector.Select(v => (JsonNode)v).ToArray()),
            }.ToJsonString()).Append('\n');
        }
        return sb.ToString();
    }

    public async Task DeleteDocumentAsync(string tenantId, Guid documentId, CancellationToken ct = default)
    {
        await EnsureIndexAsync(ct);
        var body = new JsonObject { ["query"] = new JsonObject { ["bool"] = new JsonObject { ["filter"] = Filters(tenantId, [documentId]) } } };
        using var response = await http.PostAsJsonAsync($"{_index}/_delete_by_query?refresh=true", body, ct);
        await ReadAsync(response, ct);
    }

    public async Task<IReadOnlyList<(Guid ChunkId, double Score)>> KeywordAsync(string tenantId, IReadOnlyList<string> tokens,
        IReadOnlyCollection<Guid>? documentIds, int limit, CancellationToken ct = default)
    {
        if (tokens.Count == 0)
        {
            return [];
        }
        await EnsureIndexAsync(ct);
        return Hits(await SearchAsync(KeywordQuery(tenantId, tokens, documentIds, limit), ct));
    }

    public async Task<IReadOnlyList<(Guid ChunkId, double Score)>> VectorAsync(string tenantId, float[] query,
        IReadOnlyCollection<Guid>? documentIds, int limit, CancellationToken ct = default)
    {
        await EnsureIndexAsync(ct);
        return Hits(await SearchAsync(KnnQuery(tenantId, query, documentIds, limit), ct));
    }

    public JsonObject KeywordQuery(string tenantId, IReadOnlyList<string> tokens, IReadOnlyCollection<Guid>? documentIds, int limit) => new()
    {
        ["size"] = limit,
        ["_source"] = new JsonArray("chunk_id"),
        ["query"] = new JsonObject { ["bool"] = new JsonObject
        {
            ["must"] = new JsonObject { ["match"] = new JsonObject { ["search_text"] = string.Join(' ', tokens.Distinct()) } },
            ["filter"] = Filters(tenantId, documentIds),
        } },
    };

    /// <summary>Top-level kNN with the filters applied during the search (not after), so k hits survive filtering.</summary>
    public JsonObject KnnQuery(string tenantId, float[] query, IReadOnlyCollection<Guid>? documentIds, int limit) => new()
    {
        ["size"] = limit,
        ["_source"] = new JsonArray("chunk_id"),
        ["knn"] = new JsonObject
        {
            ["field"] = "embedding", ["query_vector"] = new JsonArray(query.Select(v => (JsonNode)v).ToArray()), ["k"] = limit,
            ["num_candidates"] = Math.Max(100, limit * 4),
            ["filter"] = new JsonObject { ["bool"] = new JsonObject { ["filter"] = Filters(tenantId, documentIds) } },
        },
    };

    private JsonArray Filters(string tenantId, IReadOnlyCollection<Guid>? documentIds)
    {
        var filters = new JsonArray
        {
            new JsonObject { ["term"] = new JsonObject { ["tenant_id"] = tenantId } },
            new JsonObject { ["term"] = new JsonObject { ["model"] = embedder.Model } },
        };
        if (documentIds is { Count: > 0 })
        {
            filters.Add(new JsonObject { ["terms"] = new JsonObject
            {
                ["document_id"] = new JsonArray(documentIds.Select(d => (JsonNode)d.ToString()).ToArray()),
            } });
        }
        return filters;
    }

    /// <summary>Reads <c>hits.hits[]._id</c> and <c>_score</c> of a search response.</summary>
    public static IReadOnlyList<(Guid ChunkId, double Score)> Hits(JsonNode response) =>
        response["hits"]?["hits"]?.AsArray()
            .Select(h => (Guid.Parse(h!["_id"]!.GetValue<string>()), h["_score"]?.GetValue<double>() ?? 0))
            .ToList() ?? [];

    private async Task<JsonNode> SearchAsync(JsonObject body, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync($"{_index}/_search", body, ct);
        return await ReadAsync(response, ct);
    }

    private async Task EnsureIndexAsync(CancellationToken ct)
    {
        if (_ensured)
        {
            return;
        }
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, _index), ct);
        if (head.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            using var create = await http.PutAsJsonAsync(_index, Mapping(), ct);
            // 400 resource_already_exists_exception: another process won the race, which is fine.
            if (!create.IsSuccessStatusCode && !(await create.Content.ReadAsStringAsync(ct)).Contains("resource_already_exists_exception"))
            {
                throw new InvalidOperationException($"Elasticsearch refused to create index {_index}: {(int)create.StatusCode}");
            }
        }
        else
        {
            head.EnsureSuccessStatusCode();
        }
        _ensured = true;
    }

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Elasticsearch answered {(int)response.StatusCode}: {text[..Math.Min(text.Length, 500)]}",
                null, response.StatusCode);
        }
        return JsonNode.Parse(text) ?? new JsonObject();
    }
}
