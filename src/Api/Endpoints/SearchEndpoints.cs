using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Platform.Api.Auth;
using Platform.Data;
using Platform.Search;

namespace Platform.Api.Endpoints;

/// <param name="Query">What to look for, in any language.</param>
/// <param name="Mode">hybrid (default), keyword or vector.</param>
/// <param name="TopK">How many hits (1–100, default 10).</param>
/// <param name="DocumentIds">Only search these documents.</param>
/// <param name="Tags">Only search documents carrying all of these tags (given at upload).</param>
public sealed record SearchBody(
    [property: Required, StringLength(SearchEndpoints.MaxQueryLength, MinimumLength = 1)] string? Query,
    SearchMode? Mode,
    [property: Range(1, 100)] int? TopK,
    List<Guid>? DocumentIds,
    [property: MaxLength(DocumentTags.MaxTags)] List<string>? Tags);

public static class SearchEndpoints
{
    public const int MaxQueryLength = 2000;

    public static void MapSearchEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/search", SearchAsync).WithTags("Search").RequireAuthorization(Scopes.Read);
    }

    private static async Task<IResult> SearchAsync(SearchBody body, ClaimsPrincipal user, HybridSearch search, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Query) || body.Query.Length > MaxQueryLength)
        {
            errors["query"] = [$"Give a query of 1 to {MaxQueryLength} characters."];
        }
        if (body.TopK is < 1 or > 100)
        {
            errors["topK"] = ["topK must be between 1 and 100."];
        }
        if (body.Tags is { Count: > DocumentTags.MaxTags })
        {
            errors["tags"] = [$"Filter by at most {DocumentTags.MaxTags} tags."];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var hits = await search.SearchAsync(
            new SearchRequest(user.TenantId(), body.Query!, body.Mode ?? SearchMode.Hybrid, body.TopK ?? 10, body.DocumentIds, body.Tags), ct);
        return Results.Ok(new
        {
            query = body.Query,
            mode = (body.Mode ?? SearchMode.Hybrid).ToString().ToLowerInvariant(),
            hits = hits.Select(h => new { h.DocumentId, h.FileName, h.ChunkId, page = h.PageStart, h.PageStart, h.PageEnd, h.HeadingPath, h.Snippet, h.Score }),
        });
    }
}
