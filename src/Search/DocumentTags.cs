using Platform.Data;

namespace Platform.Search;

/// <summary>
/// Tags of documents, for search filters. Stored in <c>documents.tags</c> as <c>|a|b|</c> (lower-case, sorted), so one
/// substring test per tag (instr / strpos: no LIKE wildcards to escape) selects the documents that carry all of them.
/// </summary>
public sealed class DocumentTags(Db db)
{
    public const int MaxTags = 20;
    public const int MaxTagLength = 64;

    /// <summary>Tags from a comma-separated form value: trimmed, lower-cased, without '|', de-duplicated.</summary>
    public static IReadOnlyList<string> Parse(string? value) =>
        (value ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Normalize).Where(t => t.Length > 0).Distinct().Order(StringComparer.Ordinal).Take(MaxTags).ToList();

    public static string Normalize(string tag)
    {
        var t = new string(tag.Trim().ToLowerInvariant().Where(c => c != '|' && !char.IsControl(c)).ToArray());
        return t.Length > MaxTagLength ? t[..MaxTagLength] : t;
    }

    public Task SetAsync(Guid documentId, IReadOnlyCollection<string> tags, CancellationToken ct = default) =>
        db.ExecuteAsync("UPDATE documents SET tags = @tags WHERE id = @documentId",
            new { documentId, tags = tags.Count == 0 ? "" : "|" + string.Join('|', tags.Select(Normalize).Distinct().Order(StringComparer.Ordinal)) + "|" }, ct);

    public async Task<IReadOnlyList<string>> GetAsync(Guid documentId, CancellationToken ct = default) =>
        ((await db.QuerySingleOrDefaultAsync<string>("SELECT tags FROM documents WHERE id = @documentId", new { documentId }, ct)) ?? "")
        .Split('|', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The tenant's documents that carry every one of <paramref name="tags"/>.</summary>
    public async Task<IReadOnlyCollection<Guid>> DocumentsWithAllAsync(string tenantId, IReadOnlyCollection<string> tags, CancellationToken ct = default)
    {
        var normalized = tags.Select(Normalize).Where(t => t.Length > 0).Distinct().ToList();
        var conditions = string.Join(" AND ", normalized.Select((_, i) => db.Dialect.Contains("tags", $"@t{i}")));
        var args = new Dapper.DynamicParameters(new { tenantId });
        for (var i = 0; i < normalized.Count; i++)
        {
            args.Add($"t{i}", $"|{normalized[i]}|");
        }
        var rows = await db.QueryAsync<IdRow>(
            $"SELECT id FROM documents WHERE tenant_id = @tenantId {(normalized.Count > 0 ? "AND " + conditions : "")}", args, ct);
        return rows.Select(r => r.Id).ToList();
    }

    // A settable class, so Dapper applies the SQLite text-to-Guid handler.
    private sealed class IdRow
    {
        public Guid Id { get; set; }
    }
}
