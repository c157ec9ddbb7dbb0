using System.Text.Json.Nodes;

namespace Platform.Tests.Ai;

/// <summary>
/// The query DSL subset <see cref="FakeElasticsearch"/> understands, evaluated as Elasticsearch documents it: <c>bool</c>
/// (must, filter, must_not), <c>match</c> scored by BM25 (k1 = 1.2, b = 0.75, Lucene's idf), <c>term</c>/<c>terms</c> on
/// keywords, <c>match_all</c>, and top-level <c>knn</c> with its filter applied before the k nearest are taken. Anything
/// else, or a field of the wrong type, is a 400 as from a real server.
/// </summary>
public sealed class FakeEsQuery(FakeEsIndex index)
{
    private const double K1 = 1.2, B = 0.75;

    public static void CheckKeys(JsonNode? node, string what, params string[] allowed)
    {
        foreach (var (key, _) in node?.AsObject() ?? [])
        {
            if (!allowed.Contains(key))
            {
                throw new FakeEsException(400, "parsing_exception", $"[{what}] unknown field [{key}]");
            }
        }
    }

    public List<(string Id, double Score)> Run(IReadOnlyDictionary<string, JsonObject> docs, JsonNode body)
    {
        var scores = new Dictionary<string, double>();
        if (body["query"] is { } query)
        {
            foreach (var (id, doc) in docs.Where(d => Matches(query, d.Value)))
            {
                scores[id] = Score(query, doc, docs);
            }
        }
        foreach (var knn in Many(body["knn"]))
        {
            foreach (var (id, score) in Knn(knn!, docs))
            {
                scores[id] = scores.GetValueOrDefault(id) + score;
            }
        }
        if (body["query"] is null && body["knn"] is null)
        {
            docs.Keys.ToList().ForEach(id => scores[id] = 1.0);
        }
        return scores.OrderByDescending(s => s.Value).Select(s => (s.Key, s.Value)).ToList();
    }

    public bool Matches(JsonNode query, JsonObject doc)
    {
        var (type, spec) = Single(query);
        return type switch
        {
            "bool" => CheckBool(spec) && Many(spec["must"]).All(q => Matches(q!, doc)) && Many(spec["filter"]).All(q => Matches(q!, doc))
                && !Many(spec["must_not"]).Any(q => Matches(q!, doc)),
            "match" => Terms(MatchText(spec, out var field)).Any(t => Tokens(doc[field]).Contains(t)),
            "term" => Keyword(spec, out var value) is var f && doc[f]?.ToString() == value,
            "terms" => Single(spec) is var (tf, values) && FieldType(tf) == "keyword"
                && values.AsArray().Any(v => v?.ToString() == doc[tf]?.ToString()),
            "match_all" => true,
            _ => throw new FakeEsException(400, "parsing_exception", $"unknown query [{type}]"),
        };
    }

    private double Score(JsonNode query, JsonObject doc, IReadOnlyDictionary<string, JsonObject> docs)
    {
        var (type, spec) = Single(query);
        return type switch
        {
            "bool" => Many(spec["must"]).Sum(q => Score(q!, doc, docs)), // filter and must_not do not score
            "match" => Bm25(MatchText(spec, out var field), field, doc, docs),
            "match_all" => 1.0,
            _ => 1.0, // term and terms outside a filter score a constant
        };
    }

    private static double Bm25(string text, string field, JsonObject doc, IReadOnlyDictionary<string, JsonObject> docs)
    {
        var withField = docs.Values.Select(d => Tokens(d[field])).Where(t => t.Count > 0).ToList();
        var avgdl = withField.Count == 0 ? 1 : withField.Average(t => t.Count);
        var tokens = Tokens(doc[field]);
        return Terms(text).Sum(term =>
        {
            var n = withField.Count(t => t.Contains(term));
            var tf = tokens.Count(t => t == term);
            var idf = Math.Log(1 + (withField.Count - n + 0.5) / (n + 0.5));
            return tf == 0 ? 0 : idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * tokens.Count / avgdl));
        });
    }

    private IEnumerable<(string Id, double Score)> Knn(JsonNode knn, IReadOnlyDictionary<string, JsonObject> docs)
    {
        CheckKeys(knn, "knn", "field", "query_vector", "k", "num_candidates", "filter", "similarity", "boost");
        var field = knn["field"]?.GetValue<string>() ?? throw new FakeEsException(400, "illegal_argument_exception", "[knn] requires [field]");
        if (FieldType(field) != "dense_vector")
        {
            throw new FakeEsException(400, "illegal_argument_exception", $"[knn] queries are only supported on [dense_vector] fields, not [{field}]");
        }
        var query = knn["query_vector"]?.AsArray().Select(v => v!.GetValue<double>()).ToArray()
            ?? throw new FakeEsException(400, "illegal_argument_exception", "[knn] requires [query_vector]");
        if (query.Length != index.Dims)
        {
            throw new FakeEsException(400, "illegal_argument_exception",
                $"The query vector has a different number of dimensions [{query.Length}] than the document vectors [{index.Dims}].");
        }
        var k = knn["k"]?.GetValue<int>() ?? 10;
        var candidates = knn["num_candidates"]?.GetValue<int>() ?? Math.Max(k * 3 / 2, 10);
        if (k < 1 || candidates < k || candidates > 10_000)
        {
            throw new FakeEsException(400, "illegal_argument_exception", $"[num_candidates] ({candidates}) must be ≥ [k] ({k}) and ≤ 10000");
        }
        var filters = Many(knn["filter"]).ToList();
        return docs.Where(d => d.Value[field] is JsonArray && filters.All(f => Matches(f!, d.Value)))
            .Select(d => (d.Key, Score: (1 + Cosine(query, d.Value[field]!.AsArray().Select(v => v!.GetValue<double>()).ToArray())) / 2))
            .OrderByDescending(h => h.Score).Take(k);
    }

    private static double Cosine(double[] a, double[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    private static bool CheckBool(JsonNode spec)
    {
        CheckKeys(spec, "bool", "must", "filter", "must_not");
        return true;
    }

    private string MatchText(JsonNode spec, out string field)
    {
        var (f, value) = Single(spec);
        field = f;
        if (FieldType(f) != "text")
        {
            throw new FakeEsException(400, "illegal_argument_exception", $"this fake runs [match] on text fields only, not [{f}]");
        }
        if (value is JsonObject options)
        {
            CheckKeys(options, "match", "query", "operator");
            return options["query"]?.GetValue<string>() ?? throw new FakeEsException(400, "parsing_exception", "[match] requires query");
        }
        return value.GetValue<string>();
    }

    private string Keyword(JsonNode spec, out string value)
    {
        var (field, v) = Single(spec);
        if (FieldType(field) != "keyword")
        {
            throw new FakeEsException(400, "illegal_argument_exception", $"this fake runs [term] on keyword fields only, not [{field}]");
        }
        value = (v is JsonObject o ? o["value"] : v)?.ToString() ?? "";
        return field;
    }

    private string FieldType(string field) =>
        index.Fields.GetValueOrDefault(field) ?? throw new FakeEsException(400, "illegal_argument_exception", $"field [{field}] is not mapped");

    private static HashSet<string> Terms(string text) => [.. text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)];

    private static List<string> Tokens(JsonNode? value) =>
        value is null ? [] : [.. value.GetValue<string>().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)];

    private static (string Key, JsonNode Value) Single(JsonNode node) => node is JsonObject { Count: 1 } o
        ? (o.First().Key, o.First().Value ?? throw new FakeEsException(400, "parsing_exception", $"[{o.First().Key}] is null"))
        : throw new FakeEsException(400, "parsing_exception", $"expected an object with one key, got {node.ToJsonString()}");

    /// <summary>Elasticsearch accepts one query or an array of them wherever a list goes.</summary>
    private static IEnumerable<JsonNode?> Many(JsonNode? node) => node switch
    {
        null => Array.Empty<JsonNode?>(),
        JsonArray a => a,
        _ => new[] { node },
    };
}
