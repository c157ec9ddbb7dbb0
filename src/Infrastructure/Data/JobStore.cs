using Dapper;

namespace Platform.Infrastructure.Data;

/// <summary>Job state transitions. Each transition is one conditional UPDATE, so racing workers cannot undo a final state.</summary>
public sealed class JobStore(Db db, TimeProvider clock)
{
    private const string Columns =
        "id, tenant_id AS TenantId, type, status, progress, attempts, error_code AS ErrorCode, error_message AS ErrorMessage, " +
        "input, result, document_id AS DocumentId, correlation_id AS CorrelationId, cancel_requested AS CancelRequested, " +
        "created_at AS CreatedAt, updated_at AS UpdatedAt, dispatched_at AS DispatchedAt, started_at AS StartedAt, " +
        "finished_at AS FinishedAt, heartbeat_at AS HeartbeatAt";

    private DateTimeOffset Now => clock.GetUtcNow();

    public async Task<Job> CreateAsync(string tenantId, string type, string? input, Guid? documentId = null,
        Guid? correlationId = null, CancellationToken ct = default, Guid? id = null)
    {
        var now = Now;
        var job = new Job
        {
            Id = id ?? Guid.CreateVersion7(now), TenantId = tenantId, Type = type, Status = JobStatus.Queued, Input = input,
            DocumentId = documentId, CorrelationId = correlationId ?? Guid.NewGuid(), CreatedAt = now, UpdatedAt = now,
        };
        await db.ExecuteAsync(
            """
            INSERT INTO jobs (id, tenant_id, type, status, input, document_id, correlation_id, created_at, updated_at)
            VALUES (@Id, @TenantId, @Type, @Status, @Input, @DocumentId, @CorrelationId, @CreatedAt, @UpdatedAt)
            """, job, ct);
        return job;
    }

    /// <summary>The job, if it exists and (when a tenant is given) belongs to that tenant.</summary>
    public Task<Job?> GetAsync(Guid id, string? tenantId = null, CancellationToken ct = default) =>
        db.QuerySingleOrDefaultAsync<Job>(
            $"SELECT {Columns} FROM jobs WHERE id = @id AND (@tenantId IS NULL OR tenant_id = @tenantId)",
            new { id, tenantId }, ct);

    public Task MarkDispatchedAsync(Guid id, CancellationToken ct = default) =>
        db.ExecuteAsync("UPDATE jobs SET dispatched_at = @now WHERE id = @id AND dispatched_at IS NULL", new { id, now = Now }, ct);

    /// <summary>
    /// Moves a queued (or re-delivered running) job to running and counts the attempt, unless this is a later step
    /// of the same attempt (<paramref name="continuation"/>, e.g. embedding after parsing). Null when the job is
    /// already final, or was cancelled before it started (it is then marked cancelled here).
    /// </summary>
    public async Task<Job?> TryStartAsync(Guid id, bool continuation = false, CancellationToken ct = default)
    {
        var now = Now;
        await db.ExecuteAsync(
            """
            UPDATE jobs SET status = 'cancelled', finished_at = @now, updated_at = @now
            WHERE id = @id AND cancel_requested = @yes AND status IN ('queued', 'running')
            """, new { id, now, yes = true }, ct);
        var started = await db.ExecuteAsync(
            """
            UPDATE jobs SET status = 'running', attempts = attempts + @increment, started_at = COALESCE(started_at, @now),
                heartbeat_at = @now, updated_at = @now
            WHERE id = @id AND status IN ('queued', 'running')
            """, new { id, now, increment = continuation ? 0 : 1 }, ct);
        return started == 0 ? null : await GetAsync(id, ct: ct);
    }

    /// <summary>Records progress (0–100) and proves the worker is alive. False when the job is no longer running.</summary>
    public async Task<bool> ReportProgressAsync(Guid id, int progress, CancellationToken ct = default) =>
        await db.ExecuteAsync(
            """
            UPDATE jobs SET progress = @progress, heartbeat_at = @now, updated_at = @now
            WHERE id = @id AND status = 'running'
            """, new { id, progress = Math.Clamp(progress, 0, 100), now = Now }, ct) > 0;

    public async Task<bool> SucceedAsync(Guid id, string? result, CancellationToken ct = default) =>
        await db.ExecuteAsync(
            """
            UPDATE jobs SET status = 'succeeded', progress = 100, result = @result, error_code = NULL, error_message = NULL,
                finished_at = @now, updated_at = @now
            WHERE id = @id AND status IN ('queued', 'running')
            """, new { id, result, now = Now }, ct) > 0;

    public async Task<bool> FailAsync(Guid id, string reasonCode, string message, CancellationToken ct = default) =>
        await db.ExecuteAsync(
            """
            UPDATE jobs SET status = 'failed', error_code = @reasonCode, error_message = @message,
                finished_at = @now, updated_at = @now
            WHERE id = @id AND status IN ('queued', 'running')
            """, new { id, reasonCode, message, now = Now }, ct) > 0;

    /// <summary>Cancels a queued job at once; asks a running one to stop. Null when the job is unknown to the tenant.</summary>
    public async Task<Job?> RequestCancelAsync(Guid id, string? tenantId, CancellationToken ct = default)
    {
        var now = Now;
        await db.ExecuteAsync(
            """
            UPDATE jobs SET cancel_requested = @yes, updated_at = @now,
                status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
                finished_at = CASE WHEN status = 'queued' THEN @now ELSE finished_at END
            WHERE id = @id AND (@tenantId IS NULL OR tenant_id = @tenantId) AND status IN ('queued', 'running')
            """, new { id, tenantId, now, yes = true }, ct);
        return await GetAsync(id, tenantId, ct);
    }

    /// <summary>Marks a running job cancelled once its worker has stopped.</summary>
    public Task MarkCancelledAsync(Guid id, CancellationToken ct = default) =>
        db.ExecuteAsync(
            "UPDATE jobs SET status = 'cancelled', finished_at = @now, updated_at = @now WHERE id = @id AND status IN ('queued', 'running')",
            new { id, now = Now }, ct);

    /// <summary>Proves the worker is alive. Returns whether a cancel was requested; null when the job is not running.</summary>
    public Task<bool?> HeartbeatAsync(Guid id, CancellationToken ct = default) =>
        db.QuerySingleOrDefaultAsync<bool?>(
            "UPDATE jobs SET heartbeat_at = @now WHERE id = @id AND status = 'running' RETURNING cancel_requested",
            new { id, now = Now }, ct);

    public async Task<bool> IsCancelRequestedAsync(Guid id, CancellationToken ct = default) =>
        await db.QuerySingleOrDefaultAsync<bool>("SELECT cancel_requested FROM jobs WHERE id = @id", new { id }, ct);

    public Task<IReadOnlyList<Job>> ListAsync(JobQuery query, CancellationToken ct = default) =>
        db.QueryAsync<Job>(
            $"""
            SELECT {Columns} FROM jobs
            WHERE (@TenantId IS NULL OR tenant_id = @TenantId)
              AND (@Status IS NULL OR status = @Status)
              AND (@Type IS NULL OR type = @Type)
            ORDER BY created_at DESC
            LIMIT @Limit
            """, query, ct);

    /// <summary>Queued jobs whose command was never confirmed sent (the process died between commit and send).</summary>
    public Task<IReadOnlyList<Job>> ListUndispatchedAsync(TimeSpan olderThan, int limit, CancellationToken ct = default) =>
        db.QueryAsync<Job>(
            $"SELECT {Columns} FROM jobs WHERE status = 'queued' AND dispatched_at IS NULL AND created_at < @before ORDER BY created_at LIMIT @limit",
            new { before = Now - olderThan, limit }, ct);

    public async Task<IReadOnlyDictionary<string, int>> CountByStatusAsync(CancellationToken ct = default)
    {
        var rows = await db.QueryAsync<(string Status, long Count)>("SELECT status, count(*) FROM jobs GROUP BY status", ct: ct);
        return rows.ToDictionary(r => r.Status, r => (int)r.Count);
    }
}

public sealed record JobQuery(string? TenantId = null, string? Status = null, string? Type = null, int Limit = 50);
