using System.Security.Claims;
using Platform.Api.Auth;
using Platform.Data;
using Platform.Search;
using Platform.Search.Graph;

namespace Platform.Api.Endpoints;

/// <summary>
/// The knowledge graph: the most mentioned entities (or those whose name starts with <c>q</c>), one document's entities, and
/// for one entity its neighbours and the chunks that mention it.
/// </summary>
public static class GraphEndpoints
{
    public static void MapGraphEndpoints(this RouteGroupBuilder api)
    {
        var graph = api.MapGroup("/graph").WithTags("Graph").RequireAuthorization(Scopes.Read);
        graph.MapGet("/entities", FindAsync);
        graph.MapGet("/entities/{name}", GetAsync);
        graph.MapGet("/entities/{name}/neighbours", NeighboursAsync);
        graph.MapGet("/entities/{name}/chunks", ChunksAsync);
        api.MapGet("/documents/{id:guid}/entities", DocumentEntitiesAsync).WithTags("Graph").RequireAuthorization(Scopes.Read)
            .ProducesProblem(404);
    }

    public const int MaxLimit = 200;

    /// <summary>One entity's neighbours or mentions.</summary>
    public const int MaxListLimit = 500;

    /// <summary>Without <c>q</c>: the most mentioned entities (chunks, documents). With it: entities whose name starts so (any case).</summary>
    private static async Task<IResult> FindAsync(string? q, int? limit, ClaimsPrincipal user, IGraphStore graph, CancellationToken ct)
    {
        if (q is { Length: > 200 } || q is not null && string.IsNullOrWhiteSpace(q))
        {
            return Problems.Invalid("q", "Give the start of a name (1 to 200 characters), or leave q out to list the most mentioned entities.");
        }
        if (limit is < 1 or > MaxLimit)
        {
            return Problems.Invalid("limit", $"Between 1 and {MaxLimit}.");
        }
        return q is null
            ? Results.Ok(await graph.TopEntitiesAsync(user.TenantId(), limit ?? 50, ct))
            : Results.Ok(await graph.FindAsync(user.TenantId(), q, limit ?? 20, ct));
    }

    /// <summary>The entities a document mentions, most chunks first; 404 for a document this tenant does not have.</summary>
    private static async Task<IResult> DocumentEntitiesAsync(Guid id, int? limit, ClaimsPrincipal user, DocumentStore documents, IGraphStore graph,
        CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return Problems.Invalid("limit", $"Between 1 and {MaxLimit}.");
        }
        var tenant = user.TenantId();
        if (await documents.GetAsync(id, tenant, ct) is not { Status: not DocumentStatus.Deleted } document)
        {
            return Problems.NotFound("Document", id);
        }
        var entities = await graph.DocumentEntitiesAsync(tenant, id, limit ?? 50, ct);
        return Results.Ok(new { documentId = id, document.FileName, entities = entities.Select(e => new { e.Key, e.Name, e.Kind, e.Chunks }) });
    }

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
        if (limit is < 1 or > MaxListLimit)
        {
            return Problems.Invalid("limit", $"Between 1 and {MaxListLimit}.");
        }
        var tenant = user.TenantId();
        return await graph.GetAsync(tenant, name, ct) is { } entity
            ? Results.Ok((await graph.NeighboursAsync(tenant, entity.Key, limit ?? 50, ct)).Select(Neighbour))
            : EntityNotFound(name);
    }

    private static async Task<IResult> ChunksAsync(string name, int? limit, ClaimsPrincipal user, IGraphStore graph, ChunkStore chunks,
        CancellationToken ct)
    {
        if (limit is < 1 or > MaxListLimit)
        {
            return Problems.Invalid("limit", $"Between 1 and {MaxListLimit}.");
        }
        var tenant = user.TenantId();
        return await graph.GetAsync(tenant, name, ct) is { } entity
            ? Results.Ok(await MentionsAsync(tenant, entity.Key, limit ?? 50, graph, chunks, ct))
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
