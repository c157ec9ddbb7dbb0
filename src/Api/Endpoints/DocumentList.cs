using System.Buffers.Text;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using Platform.Api.Auth;
using Platform.Data;
using Platform.Search;

namespace Platform.Api.Endpoints;

/// <summary>A page of documents and the cursor of the next one (null on the last page).</summary>
public sealed record DocumentPage(IReadOnlyList<Document> Items, string? NextCursor);

/// <summary><c>GET /api/v1/documents</c>: newest first, filtered, paged by an opaque keyset cursor (never an offset).</summary>
public static class DocumentList
{
    public const int MaxLimit = 200;
    public const int MaxNameLength = 255;

    /// <param name="cursor">The <c>nextCursor</c> of the previous page.</param>
    /// <param name="limit">Documents per page, 1–200 (default 50).</param>
    /// <param name="status">uploaded, parsed, indexed or failed.</param>
    /// <param name="tag">Only documents carrying this tag.</param>
    /// <param name="name">Only documents whose file name contains this text (any case), at most 255 characters.</param>
    public static async Task<IResult> ListAsync(ClaimsPrincipal user, DocumentStore documents, string? cursor, [Range(1, MaxLimit)] int? limit,
        string? status, string? tag, [StringLength(MaxNameLength)] string? name, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"Between 1 and {MaxLimit}."];
        }
        if (status is not null && !DocumentStatus.Listable.Contains(status))
        {
            errors["status"] = [$"One of: {string.Join(", ", DocumentStatus.Listable)}."];
        }
        if (name is { Length: > MaxNameLength })
        {
            errors["name"] = [$"At most {MaxNameLength} characters."];
        }
        DocumentCursor? after = null;
        if (cursor is not null && !TryDecode(cursor, out after))
        {
            errors["cursor"] = ["Not a cursor this API gave: pass the nextCursor of the previous page unchanged."];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var size = limit ?? 50;
        var normalisedTag = tag is null ? null : DocumentTags.Normalize(tag);
        var rows = await documents.ListAsync(new DocumentQuery(user.TenantId(), status, normalisedTag is { Length: > 0 } ? normalisedTag : null,
            string.IsNullOrWhiteSpace(name) ? null : name.Trim(), after, size + 1), ct);
        var page = rows.Take(size).ToList();
        return Results.Ok(new DocumentPage(page, rows.Count > size ? Encode(new DocumentCursor(page[^1].CreatedAt, page[^1].Id)) : null));
    }

    public static string Encode(DocumentCursor cursor) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"{cursor.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}.{cursor.Id:N}"));

    public static bool TryDecode(string text, out DocumentCursor? cursor)
    {
        cursor = null;
        try
        {
            var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(text)).Split('.');
            if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks is > 0 and <= 3155378975999999999 && Guid.TryParseExact(parts[1], "N", out var id))
            {
                cursor = new DocumentCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
                return true;
            }
        }
        catch (FormatException)
        {
        }
        return false;
    }
}
