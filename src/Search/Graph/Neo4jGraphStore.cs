// Hand-written over HttpClient: Neo4j.Driver cannot be restored here; this speaks the HTTP Cypher endpoint.
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Platform.Search.Graph;

/// <summary>
/// The knowledge graph in Neo4j: (:Entity {tenant, key, name, kind}), (:Chunk {tenant, id, documentId}),
/// (Entity)-[:MENTIONED_IN]->(Chunk) and (Entity)-[:RELATED {tenant, relation, chunkId, documentId}]->(Entity), written and read
/// with parameterised statements posted to <c>/db/{database}/tx/commit</c> (one implicit transaction per request).
/// </summary>
public sealed class Neo4jGraphStore(HttpClient http, IOptions<GraphOptions> options) : IGraphStore
{
    private readonly string _path = $"db/{Uri.EscapeDataString(options.Value.Neo4jDatabase)}/tx/commit";

    public static void Configure(HttpClient http, GraphOptions options)
    {
        http.BaseAddress = new Uri(options.Neo4jUrl!.TrimEnd('/') + "/");
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (!string.IsNullOrEmpty(options.Neo4jUser))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Neo4jUser}:{options.Neo4jPassword}")));
        }
    }

    public Task ReplaceDocumentAsync(string tenantId, Guid documentId, IReadOnlyList<ChunkGraph> chunks, CancellationToken ct = default)
    {
        var doc = documentId.ToString();
        var entities = new JsonArray(chunks.SelectMany(g => g.Entities).DistinctBy(e => e.Key)
            .Select(e => (JsonNode)new JsonObject { ["key"] = e.Key, ["name"] = e.Name, ["kind"] = e.Kind }).ToArray());
        var mentions = new JsonArray(chunks.SelectMany(g => g.Entities.Select(e => e.Key).Distinct()
            .Select(k => (JsonNode)new JsonObject { ["key"] = k, ["chunkId"] = g.ChunkId.ToString() })).ToArray());
        var relations = new JsonArray(chunks.SelectMany(g => g.Relations.Select(r => (JsonNode)new JsonObject
        {
            ["source"] = r.SourceKey, ["target"] = r.TargetKey, ["relation"] = r.Relation, ["chunkId"] = g.ChunkId.ToString(),
        })).ToArray());
        return RunAsync(ct,
            ("MATCH (c:Chunk {tenant: $tenant, documentId: $doc}) DETACH DELETE c", new() { ["tenant"] = tenantId, ["doc"] = doc }),
            ("MATCH (:Entity)-[r:RELATED {tenant: $tenant, documentId: $doc}]->(:Entity) DELETE r", new() { ["tenant"] = tenantId, ["doc"] = doc }),
            ("UNWIND $entities AS e MERGE (n:Entity {tenant: $tenant, key: e.key}) ON CREATE SET n.name = e.name, n.kind = e.kind",
                new() { ["tenant"] = tenantId, ["entities"] = entities }),
            ("UNWIND $mentions AS m MATCH (n:Entity {tenant: $tenant, key: m.key}) " +
             "MERGE (c:Chunk {tenant: $tenant, id: m.chunkId}) SET c.documentId = $doc MERGE (n)-[:MENTIONED_IN]->(c)",
                new() { ["tenant"] = tenantId, ["doc"] = doc, ["mentions"] = mentions }),
            ("UNWIND $relations AS r MATCH (a:Entity {tenant: $tenant, key: r.source}), (b:Entity {tenant: $tenant, key: r.target}) " +
             "MERGE (a)-[:RELATED {tenant: $tenant, relation: r.relation, chunkId: r.chunkId, documentId: $doc}]->(b)",
                new() { ["tenant"] = tenantId, ["doc"] = doc, ["relations"] = relations }));
    }

    public async Task<IReadOnlyList<GraphEntity>> FindAsync(string tenantId, string prefix, int limit, CancellationToken ct = default)
    {
        var rows = await RunAsync(ct, ("MATCH (n:Entity {tenant: $tenant}) WHERE n.key STARTS WITH $prefix " +
            "RETURN n.key, n.name, n.kind ORDER BY n.key LIMIT $limit",
            new() { ["tenant"] = tenantId, ["prefix"] = GraphEntity.KeyOf(prefix), ["limit"] = limit }));
        return rows[0].Select(Entity).ToList();
    }

    public async Task<GraphEntity?> GetAsync(string tenantId, string key, CancellationToken ct = default)
    {
        var rows = await RunAsync(ct, ("MATCH (n:Entity {tenant: $tenant, key: $key}) RETURN n.key, n.name, n.kind",
            new() { ["tenant"] = tenantId, ["key"] = GraphEntity.KeyOf(key) }));
        return rows[0].Select(Entity).FirstOrDefault();
    }

    public async Task<IReadOnlyList<GraphNeighbour>> NeighboursAsync(string tenantId, string key, int limit, CancellationToken ct = default)
    {
        var rows = await RunAsync(ct, ("MATCH (n:Entity {tenant: $tenant, key: $key})-[r:RELATED]-(m:Entity) " +
            "RETURN m.key, m.name, m.kind, r.relation, count(r) AS weight ORDER BY weight DESC, m.key LIMIT $limit",
            new() { ["tenant"] = tenantId, ["key"] = GraphEntity.KeyOf(key), ["limit"] = limit }));
        return rows[0].Select(r => new GraphNeighbour(Entity(r), r[3]!.GetValue<string>(), r[4]!.GetValue<int>())).ToList();
    }

    public async Task<IReadOnlyList<RankedEntity>> DocumentEntitiesAsync(string tenantId, Guid documentId, int limit, CancellationToken ct = default)
    {
        var rows = await RunAsync(ct, ("MATCH (n:Entity {tenant: $tenant})-[:MENTIONED_IN]->(c:Chunk {tenant: $tenant, documentId: $doc}) " +
            "RETURN n.key, n.name, n.kind, count(c) AS chunks, 1 AS documents ORDER BY chunks DESC, n.key LIMIT $limit",
            new() { ["tenant"] = tenantId, ["doc"] = documentId.ToString(), ["limit"] = limit }));
        return rows[0].Select(Ranked).ToList();
    }

    public async Task<IReadOnlyList<RankedEntity>> TopEntitiesAsync(string tenantId, int limit, CancellationToken ct = default)
    {
        var rows = await RunAsync(ct, ("MATCH (n:Entity {tenant: $tenant})-[:MENTIONED_IN]->(c:Chunk) " +
            "RETURN n.key, n.name, n.kind, count(c) AS chunks, count(DISTINCT c.documentId) AS documents ORDER BY chunks DESC, n.key LIMIT $limit",
            new() { ["tenant"] = tenantId, ["limit"] = limit }));
        return rows[0].Select(Ranked).ToList();
    }

    private static RankedEntity Ranked(JsonArray row)
    {
        var entity = Entity(row);
        return new RankedEntity(entity.Key, entity.Name, entity.Kind, row[3]!.GetValue<int>(), row[4]!.GetValue<int>());
    }

    public async Task<IReadOnlyList<GraphMention>> MentionsAsync(string tenantId, string key, int limit, CancellationToken ct = default)
    {
        var rows = await RunAsync(ct, ("MATCH (:Entity {tenant: $tenant, key: $key})-[:MENTIONED_IN]->(c:Chunk) " +
            "RETURN c.id, c.documentId ORDER BY c.id LIMIT $limit",
            new() { ["tenant"] = tenantId, ["key"] = GraphEntity.KeyOf(key), ["limit"] = limit }));
        return rows[0].Select(r => new GraphMention(Guid.Parse(r[0]!.GetValue<string>()), Guid.Parse(r[1]!.GetValue<string>()))).ToList();
    }

    private static GraphEntity Entity(JsonArray row) =>
        new(row[0]!.GetValue<string>(), row[1]?.GetValue<string>() ?? "", row[2]?.GetValue<string>() ?? "");

    /// <summary>The request body: <c>{"statements":[{"statement":…,"parameters":{…}}]}</c>.</summary>
    public static JsonObject Body(params (string Statement, JsonObject Parameters)[] statements) => new()
    {
        ["statements"] = new JsonArray(statements.Select(s => (JsonNode)new JsonObject
        {
            ["statement"] = s.Statement, ["parameters"] = s.Parameters,
        }).ToArray()),
    };

    /// <summary>
    /// Posts the statements; returns each statement's rows (<c>results[i].data[j].row</c>). The endpoint answers 200 even when a
    /// statement fails (and rolls back), so a non-empty <c>errors</c> array is what signals failure.
    /// </summary>
    private async Task<List<List<JsonArray>>> RunAsync(CancellationToken ct, params (string Statement, JsonObject Parameters)[] statements)
    {
        using var response = await http.PostAsJsonAsync(_path, Body(statements), ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Neo4j answered {(int)response.StatusCode}: {text[..Math.Min(500, text.Length)]}", null,
                response.StatusCode);
        }
        return ParseResponse(text);
    }

    public static List<List<JsonArray>> ParseResponse(string text)
    {
        var json = JsonNode.Parse(text) ?? new JsonObject();
        if (json["errors"] is JsonArray { Count: > 0 } errors)
        {
            throw new InvalidOperationException($"Neo4j: {errors[0]?["code"]}: {errors[0]?["message"]}");
        }
        return (json["results"]?.AsArray() ?? [])
            .Select(r => (r?["data"]?.AsArray() ?? []).Select(d => d?["row"]?.AsArray() ?? []).ToList())
            .ToList();
    }
}
