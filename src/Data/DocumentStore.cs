namespace Platform.Data;

public sealed class DocumentStore(Db db, TimeProvider clock)
{
    private const string Columns =
        "id, tenant_id AS TenantId, file_name AS FileName, content_type AS ContentType, size_bytes AS SizeBytes, sha256, " +
        "blob_key AS BlobKey, status, page_count AS PageCount, chunk_count AS ChunkCount, text_repaired AS TextRepaired, created_at AS CreatedAt, updated_at AS UpdatedAt";

    public async Task<Document> CreateAsync(Document document, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var row = new Document
        {
            Id = document.Id, TenantId = document.TenantId, FileName = document.FileName, ContentType = document.ContentType,
            SizeBytes = document.SizeBytes, Sha256 = document.Sha256, BlobKey = document.BlobKey,
            Status = DocumentStatus.Uploaded, CreatedAt = now, UpdatedAt = now,
        };
        await db.ExecuteAsync(
            """
            INSERT INTO documents (id, tenant_id, file_name, content_type, size_bytes, sha256, blob_key, status, created_at, updated_at)
            VALUES (@Id, @TenantId, @FileName, @ContentType, @SizeBytes, @Sha256, @BlobKey, @Status, @CreatedAt, @UpdatedAt)
            """, row, ct);
        return row;
    }

    public Task<Document?> GetAsync(Guid id, string? tenantId = null, CancellationToken ct = default) =>
        db.QuerySingleOrDefaultAsync<Document>(
            $"SELECT {Columns} FROM documents WHERE id = @id AND (@tenantId IS NULL OR tenant_id = @tenantId)",
            new { id, tenantId }, ct);

    /// <summary>
    /// A page of the tenant's documents, newest first (ties broken by id), after the <see cref="DocumentQuery.After"/> keyset
    /// cursor: pages stay stable while documents are added or deleted. Deleted documents are never listed.
    /// </summary>
    public Task<IReadOnlyList<Document>> ListAsync(DocumentQuery query, CancellationToken ct = default) =>
        db.QueryAsync<Document>(
            $"""
            SELECT {Columns} FROM documents
            WHERE (@TenantId IS NULL OR tenant_id = @TenantId) AND status <> '{DocumentStatus.Deleted}'
              AND (@Status IS NULL OR status = @Status)
              AND (@Tag IS NULL OR {db.Dialect.Contains("tags", "@Tag")})
              AND (@Name IS NULL OR {db.Dialect.Contains("lower(file_name)", "@Name")})
              AND (@AfterCreatedAt IS NULL OR created_at < @AfterCreatedAt OR (created_at = @AfterCreatedAt AND id < @AfterId))
            ORDER BY created_at DESC, id DESC
            LIMIT @Limit
            """,
            new
            {
                query.TenantId, query.Status, Tag = query.Tag is null ? null : $"|{query.Tag}|", Name = query.Name?.ToLowerInvariant(),
                AfterCreatedAt = query.After?.CreatedAt, AfterId = query.After?.Id ?? Guid.Empty, query.Limit,
            }, ct);

    public Task<IReadOnlyList<Document>> ListAsync(string tenantId, int limit, CancellationToken ct = default) =>
        ListAsync(new DocumentQuery(tenantId, Limit: limit), ct);

    // A deleted document stays deleted: a parse or embedding finishing after the delete does not bring its status back.
    public Task SetParsedAsync(Guid id, int pageCount, int chunkCount, CancellationToken ct = default) =>
        SetParsedAsync(id, pageCount, chunkCount, 0, ct);

    /// <param name="textRepaired">Share of the text repaired from mojibake; 0 is stored as null (nothing repaired).</param>
    public Task SetParsedAsync(Guid id, int pageCount, int chunkCount, double textRepaired, CancellationToken ct = default) =>
        db.ExecuteAsync(
            $"""
            UPDATE documents SET status = 'parsed', page_count = @pageCount, chunk_count = @chunkCount, text_repaired = @repaired,
                updated_at = @now
            WHERE id = @id AND status <> '{DocumentStatus.Deleted}'
            """,
            new { id, pageCount, chunkCount, repaired = textRepaired > 0 ? textRepaired : (double?)null, now = clock.GetUtcNow() }, ct);

    public Task SetStatusAsync(Guid id, string status, CancellationToken ct = default) =>
        db.ExecuteAsync($"UPDATE documents SET status = @status, updated_at = @now WHERE id = @id AND status <> '{DocumentStatus.Deleted}'",
            new { id, status, now = clock.GetUtcNow() }, ct);

    /// <summary>
    /// Turns the document into a tombstone and removes its chunks (their text, keyword index and vectors) and asks its
    /// unfinished jobs to stop, in one transaction. The row is updated first: on PostgreSQL it is locked until commit, so a
    /// parse storing chunks at the same moment (<see cref="ChunkStore.ReplaceAsync"/> locks the same row) either finishes
    /// before, and its chunks are deleted here, or sees the tombstone and stores nothing. Null when the tenant has no such
    /// document; otherwise the row as it was (a second delete finds it already a tombstone).
    /// </summary>
    public async Task<Document?> DeleteAsync(Guid id, string tenantId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var document = await Dapper.SqlMapper.QuerySingleOrDefaultAsync<Document>(c,
            $"SELECT {Columns} FROM documents WHERE id = @id AND tenant_id = @tenantId", new { id, tenantId }, tx);
        if (document is null)
        {
            return null;
        }
        await Dapper.SqlMapper.ExecuteAsync(c,
            $"""
            UPDATE documents SET status = '{DocumentStatus.Deleted}', sha256 = '', tags = '', chunk_count = 0, updated_at = @now
            WHERE id = @id AND status <> '{DocumentStatus.Deleted}'
            """, new { id, now }, tx);
        await Dapper.SqlMapper.ExecuteAsync(c, "DELETE FROM chunks WHERE document_id = @id", new { id }, tx);
        if (db.Provider == DbProvider.Sqlite)
        {
            await Dapper.SqlMapper.ExecuteAsync(c, "DELETE FROM chunk_fts WHERE document_id = @id", new { id }, tx);
        }
        await Dapper.SqlMapper.ExecuteAsync(c,
            """
            UPDATE jobs SET cancel_requested = @yes, updated_at = @now,
                status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
                finished_at = CASE WHEN status = 'queued' THEN @now ELSE finished_at END
            WHERE document_id = @id AND status IN ('queued', 'running')
            """, new { id, now, yes = true }, tx);
        await tx.CommitAsync(ct);
        return document;
    }

    /// <summary>The file names of the tenant's <paramref name="ids"/>, for search hits and answer citations.</summary>
    public async Task<IReadOnlyDictionary<Guid, string>> FileNamesAsync(string tenantId, IReadOnlyCollection<Guid> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0)
        {
            return new Dictionary<Guid, string>();
        }
        var rows = await db.QueryAsync<Document>(
            $"SELECT {Columns} FROM documents WHERE tenant_id = @tenantId AND {db.Sql("id = ANY(@ids)", "id IN @ids")}",
            new { tenantId, ids = ids.Distinct().ToArray() }, ct);
        return rows.ToDictionary(d => d.Id, d => d.FileName);
    }

    /// <summary>Which of <paramref name="ids"/> the tenant no longer has (deleted, or never had).</summary>
    public async Task<IReadOnlySet<Guid>> GoneAsync(string tenantId, IReadOnlyCollection<Guid> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0)
        {
            return new HashSet<Guid>();
        }
        var live = await db.QueryAsync<Document>(
            $"SELECT {Columns} FROM documents WHERE tenant_id = @tenantId AND status <> '{DocumentStatus.Deleted}' AND {db.Sql("id = ANY(@ids)", "id IN @ids")}",
            new { tenantId, ids = ids.Distinct().ToArray() }, ct);
        return ids.Except(live.Select(d => d.Id)).ToHashSet();
    }
}

/// <summary>Where a page of documents starts: after the document created at <paramref name="CreatedAt"/> with <paramref name="Id"/>.</summary>
public sealed record DocumentCursor(DateTimeOffset CreatedAt, Guid Id);

/// <param name="TenantId">The tenant whose documents; null for every tenant's (the operations dashboard).</param>
/// <param name="Tag">A normalised tag the documents must carry.</param>
/// <param name="Name">Text the file name contains (any case).</param>
public sealed record DocumentQuery(string? TenantId, string? Status = null, string? Tag = null, string? Name = null,
    DocumentCursor? After = null, int Limit = 50);
