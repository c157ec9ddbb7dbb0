namespace Platform.Data;

public sealed class DocumentStore(Db db, TimeProvider clock)
{
    private const string Columns =
        "id, tenant_id AS TenantId, file_name AS FileName, content_type AS ContentType, size_bytes AS SizeBytes, sha256, " +
        "blob_key AS BlobKey, status, page_count AS PageCount, chunk_count AS ChunkCount, created_at AS CreatedAt, updated_at AS UpdatedAt";

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

    public Task<IReadOnlyList<Document>> ListAsync(string tenantId, int limit, CancellationToken ct = default) =>
        db.QueryAsync<Document>(
            $"SELECT {Columns} FROM documents WHERE tenant_id = @tenantId ORDER BY created_at DESC LIMIT @limit",
            new { tenantId, limit }, ct);

    public Task SetParsedAsync(Guid id, int pageCount, int chunkCount, CancellationToken ct = default) =>
        db.ExecuteAsync(
            "UPDATE documents SET status = 'parsed', page_count = @pageCount, chunk_count = @chunkCount, updated_at = @now WHERE id = @id",
            new { id, pageCount, chunkCount, now = clock.GetUtcNow() }, ct);

    public Task SetStatusAsync(Guid id, string status, CancellationToken ct = default) =>
        db.ExecuteAsync("UPDATE documents SET status = @status, updated_at = @now WHERE id = @id",
            new { id, status, now = clock.GetUtcNow() }, ct);
}
