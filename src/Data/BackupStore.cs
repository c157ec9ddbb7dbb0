namespace Platform.Data;

public sealed class BackupStore(Db db, TimeProvider clock)
{
    private const string Columns =
        "id, job_id AS JobId, status, provider, blob_key AS BlobKey, size_bytes AS SizeBytes, sha256, manifest, " +
        "error_message AS ErrorMessage, started_at AS StartedAt, finished_at AS FinishedAt, verified_at AS VerifiedAt, " +
        "verify_status AS VerifyStatus, restore_ms AS RestoreMs, verify_error AS VerifyError, offsite_at AS OffsiteAt, " +
        "local_deleted_at AS LocalDeletedAt, encrypted";

    /// <summary>The backup of a job: created on first delivery, the same row on every redelivery (job_id is unique).</summary>
    public async Task<Backup> StartAsync(Guid jobId, string provider, CancellationToken ct = default)
    {
        var id = Guid.CreateVersion7(clock.GetUtcNow());
        await db.ExecuteAsync(
            """
            INSERT INTO backups (id, job_id, status, provider, blob_key, started_at)
            VALUES (@id, @jobId, 'running', @provider, @blobKey, @now)
            ON CONFLICT (job_id) DO UPDATE SET status = 'running', started_at = @now, error_message = NULL
            """, new { id, jobId, provider, blobKey = $"backups/{id:N}.dump", now = clock.GetUtcNow() }, ct);
        return (await db.QuerySingleOrDefaultAsync<Backup>($"SELECT {Columns} FROM backups WHERE job_id = @jobId", new { jobId }, ct))!;
    }

    public Task CompleteAsync(Guid id, long sizeBytes, string sha256, string manifest, CancellationToken ct = default) =>
        CompleteAsync(id, sizeBytes, sha256, manifest, false, ct);

    public Task CompleteAsync(Guid id, long sizeBytes, string sha256, string manifest, bool encrypted, CancellationToken ct = default) =>
        db.ExecuteAsync(
            """
            UPDATE backups SET status = 'succeeded', size_bytes = @sizeBytes, sha256 = @sha256, manifest = @manifest, finished_at = @now,
                encrypted = @encrypted
            WHERE id = @id
            """, new { id, sizeBytes, sha256, manifest, encrypted, now = clock.GetUtcNow() }, ct);

    /// <summary>Records how a verification ended: <see cref="VerifyStatus"/>, the restore time, and why it failed.</summary>
    public Task RecordVerificationAsync(Guid id, string status, long? restoreMs, string? error, CancellationToken ct = default) =>
        db.ExecuteAsync(
            "UPDATE backups SET verified_at = @now, verify_status = @status, restore_ms = @restoreMs, verify_error = @error WHERE id = @id",
            new { id, status, restoreMs, error, now = clock.GetUtcNow() }, ct);

    public Task MarkOffsiteAsync(Guid id, DateTimeOffset? at, CancellationToken ct = default) =>
        db.ExecuteAsync("UPDATE backups SET offsite_at = @at WHERE id = @id", new { id, at }, ct);

    public Task MarkLocalDeletedAsync(Guid id, CancellationToken ct = default) =>
        db.ExecuteAsync("UPDATE backups SET local_deleted_at = @now WHERE id = @id", new { id, now = clock.GetUtcNow() }, ct);

    public Task FailAsync(Guid id, string message, CancellationToken ct = default) =>
        db.ExecuteAsync("UPDATE backups SET status = 'failed', error_message = @message, finished_at = @now WHERE id = @id",
            new { id, message, now = clock.GetUtcNow() }, ct);

    public Task<Backup?> GetAsync(Guid id, CancellationToken ct = default) =>
        db.QuerySingleOrDefaultAsync<Backup>($"SELECT {Columns} FROM backups WHERE id = @id", new { id }, ct);

    public Task<Backup?> GetByJobAsync(Guid jobId, CancellationToken ct = default) =>
        db.QuerySingleOrDefaultAsync<Backup>($"SELECT {Columns} FROM backups WHERE job_id = @jobId", new { jobId }, ct);

    public Task<IReadOnlyList<Backup>> ListAsync(int limit = 100, CancellationToken ct = default) =>
        db.QueryAsync<Backup>($"SELECT {Columns} FROM backups ORDER BY started_at DESC LIMIT @limit", new { limit }, ct);

    public Task DeleteAsync(Guid id, CancellationToken ct = default) =>
        db.ExecuteAsync("DELETE FROM backups WHERE id = @id", new { id }, ct);
}
