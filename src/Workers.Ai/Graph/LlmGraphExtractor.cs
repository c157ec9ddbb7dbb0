using System.Text.Json;
using Platform.Data;
using Platform.Search.Graph;
using Platform.Search.Models;

namespace Platform.Workers.Ai.Graph;

/// <summary>
/// Entities and relations from a chat model in JSON mode, one chunk per call. A reply that is not the asked-for JSON falls
/// back to the rule-based extractor for that chunk, so a document's graph is never left empty by one bad reply.
/// </summary>
public sealed class LlmGraphExtractor(IChatModel model, ILogger<LlmGraphExtractor> logger) : IGraphExtractor
{
    public const string SystemPrompt =
        "Extract the named entities (people, organisations, products, technologies, places, concepts with a proper name) and the " +
        "relations between them stated in the text. Reply with JSON only: {\"entities\":[{\"name\":\"…\",\"type\":\"…\"}]," +
        "\"relations\":[{\"source\":\"…\",\"target\":\"…\",\"relation\":\"…\"}]}. Use names exactly as written; relation is a short " +
        "lower_snake_case verb phrase such as stored_in or part_of. At most 20 entities.";

    public async Task<IReadOnlyList<ChunkGraph>> ExtractAsync(IReadOnlyList<Chunk> chunks, CancellationToken ct = default)
    {
        var result = new List<ChunkGraph>(chunks.Count);
        foreach (var chunk in chunks)
        {
            var reply = await model.CompleteJsonAsync(SystemPrompt, chunk.Content, ct);
            var parsed = Parse(chunk.Id, chunk.DocumentId, reply);
            if (parsed is null)
            {
                logger.LogWarning("Graph extraction reply for chunk {ChunkId} was not the expected JSON; using the rule-based extractor", chunk.Id);
            }
            result.Add(parsed ?? RuleBasedGraphExtractor.Extract(chunk.Id, chunk.DocumentId, chunk.Content));
        }
        return result;
    }

    /// <summary>The model's JSON as a chunk graph; relations naming an entity not listed add it. Null when not parseable.</summary>
    public static ChunkGraph? Parse(Guid chunkId, Guid documentId, string reply)
    {
        try
        {
            using var json = JsonDocument.Parse(reply);
            var entities = new Dictionary<string, GraphEntity>();
            if (json.RootElement.TryGetProperty("entities", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var e in list.EnumerateArray().Take(50))
                {
                    var name = e.TryGetProperty("name", out var n) ? n.GetString()?.Trim() : null;
                    if (!string.IsNullOrEmpty(name) && name.Length <= 200)
                    {
                        var kind = e.TryGetProperty("type", out var t) ? t.GetString() ?? "entity" : "entity";
                        entities.TryAdd(GraphEntity.KeyOf(name), new GraphEntity(GraphEntity.KeyOf(name), name, kind.ToLowerInvariant()));
                    }
                }
            }
            var relations = new HashSet<GraphRelation>();
            if (json.RootElement.TryGetProperty("relations", out var rels) && rels.ValueKind == JsonValueKind.Array)
            {
                foreach (var r in rels.EnumerateArray().Take(100))
                {
                    var source = r.TryGetProperty("source", out var s) ? s.GetString()?.Trim() : null;
                    var target = r.TryGetProperty("target", out var t) ? t.GetString()?.Trim() : null;
                    var relation = r.TryGetProperty("relation", out var k) ? k.GetString()?.Trim() : null;
                    if (string.IsNullOrEmpty(source) || string.IsNullOrEmpty(target) || string.IsNullOrEmpty(relation)
                        || source.Length > 200 || target.Length > 200)
                    {
                        continue;
                    }
                    entities.TryAdd(GraphEntity.KeyOf(source), new GraphEntity(GraphEntity.KeyOf(source), source, "entity"));
                    entities.TryAdd(GraphEntity.KeyOf(target), new GraphEntity(GraphEntity.KeyOf(target), target, "entity"));
                    var rel = relation.ToLowerInvariant().Replace(' ', '_');
                    relations.Add(new GraphRelation(GraphEntity.KeyOf(source), GraphEntity.KeyOf(target), rel.Length > 64 ? rel[..64] : rel));
                }
            }
            return json.RootElement.ValueKind == JsonValueKind.Object
                ? new ChunkGraph(chunkId, documentId, entities.Values.ToList(), relations.ToList())
                : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
