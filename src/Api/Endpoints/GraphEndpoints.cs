using System.Security.Claims;
using Platform.Api.Auth;
using Platform.Data;
using Platform.Search;
using Platform.Search.Graph;

namespace Platform.Api.Endpoints;

/// <summary>The knowledge graph: find entities by name, and for one entity its neighbours and the chunks that mention it.</summary>
public static class GraphEndpoints
{
    public static void MapGraphEndpoints(this RouteGroupBuilder api)
    {
        var graph = api.MapGroup("/graph").WithTags("Graph").RequireAuthorization(Scopes.Read);
        graph.MapGet("/entities", FindAsync);
        graph.MapGet("/entities/{name}", GetAsync);
        graph.MapGet("/entities/{name}/neighbours", NeighboursAsync);
        graph.MapGet("/entities/{name}/chunks", ChunksAsync);
    }

    /// <summary>Entities whose name starts with <c>q</c> (case-insensitive).</summary>
    private static async Task<IResult> FindAsync(string? q, int? limit, ClaimsPrincipal user, IGraphStore graph, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(q) || q.Length > 200
            ? Problems.Invalid("q", "Give the start of a name (1 to 200 characters).")
            : Results.Ok(await graph.FindAsync(user.TenantId(), q, Math.Clamp(limit ?? 20, 1, 200), ct));

    /// <summary>One entity with its strongest neighbours and first mentions.</summary>
    private static async Task<IResult> GetAsync(string name, ClaimsPrincipal user, IGraphStore graph, ChunkStore chunks, CancellationToken ct)
    {
        var tenant = user.TenantId();
        if (await graph.GetAsync(tenant, name, ct) is not { } entity)
        {
            return EntityNotFound(name);
        }
        var neighbours = await graph.NeighboursAsync(tenant, entity.Key, 20, ct);
        var mentions = await MentionsAsync(tenant, entity.Key, 20, graph, chunks, ct);
        return Results.Ok(new { entity.Key, entity.Name, entity.Kind, neighbours = neighbours.Select(Neighbour), mentions });
    }

    private static async Task<IResult> NeighboursAsync(string name, int? limit, ClaimsPrincipal user, IGraphStore graph, CancellationToken ct)
    {
        var tenant = user.TenantId();
        return await graph.GetAsync(tenant, name, ct) is { } entity
            ? Results.Ok((await graph.NeighboursAsync(tenant, entity.Key, Math.Clamp(limit ?? 50, 1, 500), ct)).Select(Neighbour))
            : EntityNotFound(name);
    }

    private static async Task<IResult> ChunksAsync(string name, int? limit, ClaimsPrincipal user, IGraphStore graph, ChunkStore chunks,
        CancellationToken ct)
    {
        var tenant = user.TenantId();
        return await graph.GetAsync(tenant, name, ct) is { } entity
            ? Results.Ok(await MentionsAsync(tenant, entity.Key, Math.Clamp(limit ?? 50, 1, 500), graph, chunks, ct))
            : EntityNotFound(name);
    }

    private static object Neighbour(GraphNeighbour n) => new { n.Entity.Key, n.Entity.Name, n.Entity.Kind, n.Relation, n.Weight };

    /// <summary>Mentions with where they are (document, pages, heading) and a snippet around the name.</summary>
    private static async Task<IEnumerable<object>> MentionsAsync(string tenant, string key, int limit, IGraphStore graph, ChunkStore chunks,
        CancellationToken ct)
    {
        var mentions = await graph.MentionsAsync(tenant, key, limit, ct);
        var rows = (await chunks.GetManyAsync(mentions.Select(m => m.ChunkId).ToList(), ct))
            .Where(c => c.TenantId == tenant).ToDictionary(c => c.Id);
        return mentions.Where(m => rows.ContainsKey(m.ChunkId)).Select(m =>
        {
            var c = rows[m.ChunkId];
            return (object)new
            {
                chunkId = c.Id, documentId = c.DocumentId, pageStart = c.PageStart, pageEnd = c.PageEnd, headingPath = c.HeadingPath,
                snippet = Snippets.Around(c.Content, [key]),
            };
        });
    }

    private static IResult EntityNotFound(string name) =>
        Problems.Status(404, "Entity not found", $"No entity named '{name}' in the knowledge graph.", "not-found");
}
