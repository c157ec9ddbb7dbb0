using System.Text.Json.Nodes;

namespace Platform.Tests.Ai;

/// <summary>
/// One index of <see cref="FakeElasticsearch"/>: its mapping (keyword, text with a whitespace analyzer, dense_vector), the
/// written documents and the searchable snapshot the last refresh made. Queries are evaluated by <see cref="FakeEsQuery"/>.
/// </summary>
public sealed class FakeEsIndex
{
    private readonly object _gate = new();
    private Dictionary<string, JsonObject> _written = [];
    private Dictionary<string, JsonObject> _searchable = [];

    public FakeEsIndex(string name, JsonNode body)
    {
        Name = name;
        var properties = body["mappings"]?["properties"]?.AsObject()
            ?? throw new FakeEsException(400, "mapper_parsing_exception", "this fake needs explicit mappings.properties");
        foreach (var (field, spec) in properties)
        {
            var type = spec?["type"]?.GetValue<string>();
            Fields[field] = type switch
            {
                "keyword" or "dense_vector" => type,
                "text" when IsWhitespace(body, spec!["analyzer"]?.GetValue<string>()) => "text",
                "text" => throw new FakeEsException(400, "illegal_argument_exception",
                    $"field [{field}]: this fake analyses text with a whitespace tokenizer only"),
                _ => throw new FakeEsException(400, "mapper_parsing_exception", $"No handler for type [{type}] declared on field [{field}]"),
            };
            if (type == "dense_vector")
            {
                Dims = spec!["dims"]?.GetValue<int>();
                Similarity = spec["similarity"]?.GetValue<string>() ?? "cosine";
                if (Similarity != "cosine" || spec["index"]?.GetValue<bool>() == false)
                {
                    throw new FakeEsException(400, "illegal_argument_exception", $"field [{field}]: this fake supports indexed cosine vectors only");
                }
            }
        }
    }

    public string Name { get; }
    public Dictionary<string, string> Fields { get; } = [];
    public int? Dims { get; private set; }
    public string Similarity { get; } = "cosine";

    /// <summary>Documents a search would see now.</summary>
    public IReadOnlyDictionary<string, JsonObject> Searchable { get { lock (_gate) { return _searchable; } } }

    private static bool IsWhitespace(JsonNode body, string? analyzer) => analyzer == "whitespace"
        || (analyzer is not null && body["settings"]?["analysis"]?["analyzer"]?[analyzer]?["tokenizer"]?.GetValue<string>() == "whitespace");

    public JsonNode Bulk(string ndjson, bool refresh)
    {
        var lines = ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (!ndjson.EndsWith('\n'))
        {
            throw new FakeEsException(400, "illegal_argument_exception", "The bulk request must be terminated by a newline [\\n]");
        }
        var items = new JsonArray();
        lock (_gate)
        {
            for (var i = 0; i < lines.Length; i++)
            {
                var action = JsonNode.Parse(lines[i])!.AsObject().Single();
                var id = action.Value?["_id"]?.GetValue<string>() ?? Guid.NewGuid().ToString("N"); // Elasticsearch makes up an id too
                items.Add(action.Key switch
                {
                    "index" => Write(id, JsonNode.Parse(lines[++i])!.AsObject()),
                    "delete" => _written.Remove(id) ? Item("delete", id, 200, "deleted") : Item("delete", id, 404, "not_found"),
                    _ => throw new FakeEsException(400, "illegal_argument_exception", $"Malformed action/metadata line [{i + 1}]: {action.Key}"),
                });
            }
            if (refresh)
            {
                _searchable = new(_written);
            }
        }
        return new JsonObject { ["errors"] = items.Any(i => i!["index"]?["error"] is not null), ["took"] = 1, ["items"] = items };
    }

    private JsonNode Write(string id, JsonObject source)
    {
        foreach (var (field, value) in source)
        {
            if (Fields.GetValueOrDefault(field) != "dense_vector" || value is not JsonArray vector)
            {
                continue;
            }
            var dims = Dims ??= vector.Count; // Elasticsearch takes dims from the first document when the mapping leaves them out
            if (vector.Count != dims)
            {
                return new JsonObject { ["index"] = new JsonObject
                {
                    ["_index"] = Name, ["_id"] = id, ["status"] = 400, ["error"] = new JsonObject
                    {
                        ["type"] = "document_parsing_exception",
                        ["reason"] = $"The [dense_vector] field [{field}] in doc [{id}] has a different number of dimensions [{vector.Count}] than defined in the mapping [{dims}]",
                    },
                } };
            }
        }
        var updated = _written.ContainsKey(id);
        _written[id] = source;
        return Item("index", id, updated ? 200 : 201, updated ? "updated" : "created");
    }

    private JsonNode Item(string action, string id, int status, string result) => new JsonObject
    {
        [action] = new JsonObject { ["_index"] = Name, ["_id"] = id, ["_version"] = 1, ["result"] = result, ["status"] = status },
    };

    public JsonNode Search(JsonNode body)
    {
        FakeEsQuery.CheckKeys(body, "search", "size", "from", "_source", "query", "knn", "track_total_hits");
        var hits = new FakeEsQuery(this).Run(Searchable, body);
        var size = body["size"]?.GetValue<int>() ?? 10;
        var source = body["_source"] is not JsonValue v || v.GetValue<bool>();
        return new JsonObject
        {
            ["took"] = 1, ["timed_out"] = false,
            ["_shards"] = new JsonObject { ["total"] = 1, ["successful"] = 1, ["skipped"] = 0, ["failed"] = 0 },
            ["hits"] = new JsonObject
            {
                ["total"] = new JsonObject { ["value"] = hits.Count, ["relation"] = "eq" },
                ["max_score"] = hits.Count > 0 ? hits[0].Score : null,
                ["hits"] = new JsonArray(hits.Take(size).Select(h => (JsonNode)new JsonObject
                {
                    ["_index"] = Name, ["_id"] = h.Id, ["_score"] = h.Score, ["_source"] = source ? Searchable[h.Id].DeepClone() : null,
                }).ToArray()),
            },
        };
    }

    public JsonNode DeleteByQuery(JsonNode body, bool refresh)
    {
        FakeEsQuery.CheckKeys(body, "delete_by_query", "query");
        var query = body["query"] ?? throw new FakeEsException(400, "action_request_validation_exception", "query is missing");
        var matched = Searchable.Where(d => new FakeEsQuery(this).Matches(query, d.Value)).Select(d => d.Key).ToList();
        lock (_gate)
        {
            matched.ForEach(id => _written.Remove(id));
            if (refresh)
            {
                _searchable = new(_written);
            }
        }
        return new JsonObject
        {
            ["took"] = 1, ["timed_out"] = false, ["total"] = matched.Count, ["deleted"] = matched.Count, ["batches"] = 1,
            ["version_conflicts"] = 0, ["noops"] = 0, ["retries"] = new JsonObject { ["bulk"] = 0, ["search"] = 0 },
            ["throttled_millis"] = 0, ["requests_per_second"] = -1.0, ["throttled_until_millis"] = 0, ["failures"] = new JsonArray(),
        };
    }

    public JsonNode Refresh()
    {
        lock (_gate)
        {
            _searchable = new(_written);
        }
        return new JsonObject { ["_shards"] = new JsonObject { ["total"] = 1, ["successful"] = 1, ["failed"] = 0 } };
    }
}
