using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Platform.Tests.Ai;

/// <summary>
/// An in-process Elasticsearch 9 for the index's tests, answering as the REST API documents (no server can run here): index
/// create/exists/delete, <c>_bulk</c> NDJSON, <c>_search</c> (bool with match/term/terms, top-level knn), <c>_delete_by_query</c>,
/// <c>_refresh</c>, with real BM25 over whitespace tokens, cosine kNN scored (1 + cos) / 2, and refresh semantics (writes are
/// searchable only after a refresh). It answers with the product header and vendored media type the client expects, and
/// refuses, with a 400 in Elasticsearch's error shape, any request it does not understand: a wrong request fails a test.
/// </summary>
public sealed class FakeElasticsearch : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, FakeEsIndex> _indices = new();
    private LoopbackServer _server = null!;

    public Uri Address => _server.Address;

    /// <summary>Every request as it arrived: method, path with query string, content type, accept header, body.</summary>
    public ConcurrentQueue<(string Method, string Path, string? ContentType, string Accept, string Body)> Requests { get; } = new();

    /// <summary>Every request the fake refused, with its reason.</summary>
    public ConcurrentQueue<string> Refusals { get; } = new();

    public static async Task<FakeElasticsearch> StartAsync()
    {
        var fake = new FakeElasticsearch();
        fake._server = await LoopbackServer.StartAsync(app => app.Run(fake.HandleAsync));
        return fake;
    }

    public FakeEsIndex? Index(string name) => _indices.GetValueOrDefault(name);

    private async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        var body = await new StreamReader(request.Headers.ContentEncoding == "gzip"
            ? new System.IO.Compression.GZipStream(request.Body, System.IO.Compression.CompressionMode.Decompress)
            : request.Body).ReadToEndAsync(); // the client compresses request bodies by default
        var path = request.Path.Value!.Trim('/').Split('/');
        Requests.Enqueue((request.Method, request.Path + request.QueryString, request.ContentType, request.Headers.Accept.ToString(), body));
        http.Response.Headers["X-Elastic-Product"] = "Elasticsearch";
        (int Status, JsonNode Body) answer;
        try
        {
            CheckMediaTypes(request, body.Length > 0);
            answer = (request.Method, path) switch
            {
                ("HEAD", [var name]) => (_indices.ContainsKey(name) ? 200 : 404, new JsonObject()),
                ("PUT", [var name]) => Create(name, Json(body)),
                ("DELETE", [var name]) => _indices.TryRemove(name, out _)
                    ? (200, new JsonObject { ["acknowledged"] = true })
                    : Error(404, "index_not_found_exception", $"no such index [{name}]"),
                ("POST" or "PUT", [var name, "_bulk"]) => (200, Existing(name).Bulk(body, Refreshes(request))),
                ("POST" or "GET", [var name, "_search"]) => (200, Existing(name).Search(Json(body))),
                ("POST", [var name, "_delete_by_query"]) => (200, Existing(name).DeleteByQuery(Json(body), Refreshes(request))),
                ("POST" or "GET", [var name, "_refresh"]) => (200, Existing(name).Refresh()),
                _ => throw new FakeEsException(400, "illegal_argument_exception",
                    $"no handler found for uri [{request.Path}] and method [{request.Method}]"),
            };
        }
        catch (FakeEsException e)
        {
            Refusals.Enqueue($"{request.Method} {request.Path}{request.QueryString}: {e.Type}: {e.Message}");
            answer = Error(e.Status, e.Type, e.Message);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException or KeyNotFoundException)
        {
            Refusals.Enqueue($"{request.Method} {request.Path}: the fake could not read the request: {e}");
            answer = Error(400, "parsing_exception", e.Message);
        }
        http.Response.StatusCode = answer.Status;
        if (request.Method != "HEAD")
        {
            http.Response.ContentType = ResponseMediaType(request.Headers.Accept.ToString());
            await http.Response.WriteAsync(answer.Body.ToJsonString());
        }
    }

    /// <summary>As Elasticsearch: the vendored JSON type, with the asked-for version, when the client asks for it; plain JSON otherwise.</summary>
    private static string ResponseMediaType(string accept) =>
        accept.Contains("vnd.elasticsearch+json", StringComparison.Ordinal) && accept.Contains("compatible-with=8", StringComparison.Ordinal)
            ? "application/vnd.elasticsearch+json;compatible-with=8"
            : accept.Contains("vnd.elasticsearch+json", StringComparison.Ordinal)
                ? "application/vnd.elasticsearch+json;compatible-with=9"
                : "application/json";

    /// <summary>Elasticsearch 9 accepts compatible-with=8 or 9 in Accept and Content-Type, and refuses other versions.</summary>
    private static void CheckMediaTypes(HttpRequest request, bool hasBody)
    {
        foreach (var value in new[] { request.Headers.Accept.ToString(), hasBody ? request.ContentType : null })
        {
            if (value is { Length: > 0 } && value.Contains("compatible-with=", StringComparison.Ordinal)
                && !value.Contains("compatible-with=9", StringComparison.Ordinal) && !value.Contains("compatible-with=8", StringComparison.Ordinal))
            {
                throw new FakeEsException(400, "media_type_header_exception", $"Invalid media-type value on headers [{value}]");
            }
        }
        if (hasBody && request.ContentType is null)
        {
            throw new FakeEsException(406, "media_type_header_exception", "Content-Type header is missing");
        }
    }

    private (int, JsonNode) Create(string name, JsonNode body)
    {
        var index = new FakeEsIndex(name, body);
        return _indices.TryAdd(name, index)
            ? (200, new JsonObject { ["acknowledged"] = true, ["shards_acknowledged"] = true, ["index"] = name })
            : Error(400, "resource_already_exists_exception", $"index [{name}/x] already exists");
    }

    private FakeEsIndex Existing(string name) =>
        _indices.GetValueOrDefault(name) ?? throw new FakeEsException(404, "index_not_found_exception", $"no such index [{name}]");

    /// <summary>The refresh query parameter: true, empty (= true) or wait_for make the change searchable before answering.</summary>
    private static bool Refreshes(HttpRequest request) =>
        request.Query.TryGetValue("refresh", out var v) && v.ToString() is "" or "true" or "wait_for";

    private static JsonNode Json(string body)
    {
        try
        {
            return JsonNode.Parse(body) ?? throw new FakeEsException(400, "parsing_exception", "request body is required");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new FakeEsException(400, "x_content_parse_exception", e.Message);
        }
    }

    private static (int, JsonNode) Error(int status, string type, string reason) => (status, new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["root_cause"] = new JsonArray(new JsonObject { ["type"] = type, ["reason"] = reason }), ["type"] = type, ["reason"] = reason,
        },
        ["status"] = status,
    });

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();
}

public sealed class FakeEsException(int status, string type, string reason) : Exception(reason)
{
    public int Status { get; } = status;
    public string Type { get; } = type;
}
