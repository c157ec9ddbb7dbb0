using Platform.Api.Endpoints;
using Platform.Data;

namespace Platform.Api.Dashboard;

/// <summary>The Documents page's data: every tenant's documents, newest first, filtered and paged like the REST list.</summary>
public static class DashboardDocuments
{
    public static void MapDashboardDocuments(this RouteGroupBuilder api) => api.MapGet("/documents", ListAsync);

    private static async Task<IResult> ListAsync(DocumentStore documents, string? tenant, string? status, string? name, string? cursor,
        CancellationToken ct)
    {
        if (status is not null && status.Length > 0 && !DocumentStatus.Listable.Contains(status))
        {
            return Results.Problem(statusCode: 400, title: $"status must be one of {string.Join(", ", DocumentStatus.Listable)}.");
        }
        DocumentCursor? after = null;
        if (!string.IsNullOrEmpty(cursor) && !DocumentList.TryDecode(cursor, out after))
        {
            return Results.Problem(statusCode: 400, title: "cursor is not one this dashboard gave.");
        }
        const int size = 50;
        var rows = await documents.ListAsync(new DocumentQuery(Blank(tenant), Blank(status), null, Blank(name), after, size + 1), ct);
        var page = rows.Take(size).ToList();
        return Results.Ok(new DocumentPage(page, rows.Count > size ? DocumentList.Encode(new DocumentCursor(page[^1].CreatedAt, page[^1].Id)) : null));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
