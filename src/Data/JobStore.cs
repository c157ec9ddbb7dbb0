using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Platform.Data;

/// <summary>
/// Job state transitions. Each transition is one conditional UPDATE, so racing workers cannot undo a final state.
/// On PostgreSQL the two every job makes (<see cref="TryStartAsync"/> and <see cref="SucceedReturningAsync"/>) are
/// group-committed: the claims (or successes) of jobs that a worker's concurrent consumers make together go in one
/// statement over arrays, with the same conditions per row (measured in bench/throughput: drain).
/// </summary>
public sealed class JobStore : IAsyncDisposable
{
    private readonly Db db;
    private readonly TimeProvider clock;
    private readonly GroupCommit<Claim, Job?>? _claims;
    private readonly GroupCommit<(Guid Id, string? Result), Job?>? _successes;

    public JobStore(Db db, TimeProvider clock, ILogger<JobStore>? logger = null)
    {
        this.db = db;
        this.clock = clock;
        if (db.Provider == DbProvider.PostgreSql)
        {
            // SQLite is in the process and has one writer: a statement there costs no round trip to share.
            var log = logger ?? NullLogger<JobStore>.Instance;
            _claims = new GroupCommit<Claim, Job?>("job claims", 2, StartManyAsync, log);
            _successes = new GroupCommit<(Guid, string?), Job?>("job successes", 2, SucceedManyAsync, log);
        }
    }

    private const string Columns =
        "id, tenant_id AS TenantId, type, status, progress, attempts, error_code AS ErrorCode, error_message AS ErrorMessage, " +
        "input, result, document_id AS DocumentId, correlation_id AS CorrelationId, cancel_requested AS CancelRequested, " +
        "created_at AS CreatedAt, updated_at AS UpdatedAt, dispatched_at AS DispatchedAt, started_at AS StartedAt, " +
        "finished_at AS FinishedAt, heartbeat_at AS HeartbeatAt";

    private DateTimeOffset Now => clock.GetUtcNow();

    public async Task<Job> CreateAsync(string tenantId, string type, string? input, Guid? documentId = null,
        Guid? correlationId = null, CancellationToken ct = default, Guid? id = null)
    {
        var job = NewJob(tenantId, type, input, documentId, correlationId, id);
        await db.ExecuteAsync(InsertOne, job, ct);
        return job;
    }

    /// <summary>
    /// A new queued job, not yet written: its id and times are set here, <see cref="InsertManyAsync"/> records it. For
    /// group commit (<see cref="Jobs.JobInserts"/>), where one statement records the jobs of many requests.
    /// </summary>
    public Job NewJob(string tenantId, string type, string? input, Guid? documentId = null, Guid? correlationId = null, Guid? id = null)
    {
        var now = Now;
        return new Job
        {
            Id = id ?? Guid.CreateVersion7(now), TenantId = tenantId, Type = type, Status = JobStatus.Queued, Input = input,
            DocumentId = documentId, CorrelationId = correlationId ?? Guid.NewGuid(), CreatedAt = now, UpdatedAt = now,
        };
    }

    /// <summary>
    /// Records new jobs in one statement (PostgreSQL: one INSERT over arrays; SQLite, which has no arrays: one
    /// transaction). All or none: a failure records none of them.
    /// </summary>
    public async Task InsertManyAsync(IReadOnlyList<Job> jobs, CancellationToken ct = default)
    {
        if (db.Provider == DbProvider.PostgreSql)
        {
            await db.ExecuteAsync(
                """
                INSERT INTO jobs (id, tenant_id, type, status, input, document_id, correlation_id, created_at, updated_at)
                SELECT id, tenant_id, type, 'queued', input, document_id, correlation_id, created_at, created_at
                FROM unnest(@ids, @tenants, @types, @inputs, @documents, @correlations, @created)
                    AS new (id, tenant_id, type, input, document_id, correlation_id, created_at)
                """,
                new
                {
                    ids = jobs.Select(j => j.Id).ToArray(), tenants = jobs.Select(j => j.TenantId).ToArray(),
                    types = jobs.Select(j => j.Type).ToArray(), inputs = jobs.Select(j => j.Input).ToArray(),
                    documents = jobs.Select(j => j.DocumentId).ToArray(), correlations = jobs.Select(j => j.CorrelationId).ToArray(),
                    created = jobs.Select(j => j.CreatedAt).ToArray(),
                }, ct);
            return;
        }
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(InsertOne, jobs, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
    }

    private const string InsertOne =
        """
        INSERT INTO jobs (id, tenant_id, type, status, input, document_id, correlation_id, created_at, updated_at)
        VALUES (@Id, @TenantId, @Type, @Status, @Input, @DocumentId, @CorrelationId, @CreatedAt, @UpdatedAt)
        """;

    /// <summary>The job, if it exists and (when a tenant is given) belongs to that tenant.</summary>
    public Task<Job?> GetAsync(Guid id, string? tenantId = null, CancellationToken ct = default) =>
        db.QuerySingleOrDefaultAsync<Job>(
            $"SELECT {Columns} FROM jobs WHERE id = @id AND (@tenantId IS NULL OR tenant_id = @tenantId)",
            new { id, tenantId }, ct);

    public Task MarkDispatchedAsync(Guid id, CancellationToken ct = default) => MarkDispatchedAsync([id], ct);

    /// <summary>
    /// Records the sends of a batch in one statement. With <paramref name="unchangedSince"/>, a job still queued but
    /// changed after that moment (requeued for a retry while its earlier command was in flight) is left unmarked, so a
    /// late record cannot hide its new, unsent state from the sweeper.
    /// </summary>
    /// <remarks>
    /// On PostgreSQL the record skips a job another statement is changing at that moment. A worker may have the command
    /// before its send is recorded, and its batched claims lock the same jobs as this batch, in another order: waiting
    /// here, two statements could each hold a job the other needs (a deadlock; PostgreSQL breaks it after a second by
    /// aborting one). A job being claimed gets its send recorded by the claim itself; one being cancelled, failed or
    /// requeued has no send left to record.
    /// </remarks>
    public Task MarkDispatchedAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct = default, DateTimeOffset? unchangedSince = null) =>
        ids.Count == 0 ? Task.CompletedTask : db.ExecuteAsync(
            $"""
            UPDATE jobs SET dispatched_at = @now
            WHERE id IN (
                SELECT id FROM jobs
                WHERE {db.Sql("id = ANY(@ids)", "id IN @ids")} AND dispatched_at IS NULL
                  AND (@unchangedSince IS NULL OR status <> 'queued' OR updated_at <= @unchangedSince)
                {db.Sql("FOR NO KEY UPDATE SKIP LOCKED", "")})
            """,
            new { ids = ids.ToArray(), now = Now, unchangedSince }, ct);

    /// <summary>
    /// Claims the job for this worker: a queued job, or a running one whose lease expired (its worker died). A later
    /// step of the same attempt (<paramref name="continuation"/>, e.g. embedding after parsing) claims a running job
    /// without counting an attempt. Returns the outcome; a cancel requested before the start ends the job here.
    /// </summary>
    public async Task<(JobClaim Claim, Job? Job)> TryStartAsync(Guid id, bool continuation = false, TimeSpan? leaseTimeout = null,
        CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var claim = new Claim(id, continuation, leaseTimeout ?? TimeSpan.FromSeconds(30));
        // The common case in one statement: claim and read back. Only when that claims nothing is the row looked at again.
        var started = _claims is not null ? await _claims.RunAsync(claim) : await StartOneAsync(claim, ct);
        if (started is not null)
        {
            return (JobClaim.Started, started);
        }
        // A cancel requested before the start ends the job here.
        await db.ExecuteAsync(
            """
            UPDATE jobs SET status = 'cancelled', finished_at = @now, updated_at = @now
            WHERE id = @id AND cancel_requested = @yes AND status IN ('queued', 'running')
            """, new { id, now = Now, yes = true }, ct);
        var job = await GetAsync(id, ct: ct);
        return job is null ? (JobClaim.Unknown, null)
            : job.IsFinished ? (JobClaim.Ended, job)
            : (JobClaim.Busy, job);
    }

    /// <summary>A claim to make: the job, whether it continues an attempt, and its lease.</summary>
    private readonly record struct Claim(Guid Id, bool Continuation, TimeSpan LeaseTimeout);

    /// <summary>Claims one job (SQLite, which has no arrays and no round trip to share).</summary>
    private Task<Job?> StartOneAsync(Claim claim, CancellationToken ct)
    {
        var now = Now;
        return db.QuerySingleOrDefaultAsync<Job>(
            $"""
            UPDATE jobs SET status = 'running', attempts = attempts + @increment, started_at = COALESCE(started_at, @now),
                dispatched_at = COALESCE(dispatched_at, @now), heartbeat_at = @now, updated_at = @now
            WHERE id = @id AND cancel_requested = @no AND (status = 'queued'
                OR (status = 'running' AND (@continuation = 1 OR heartbeat_at IS NULL OR heartbeat_at < @expired)))
            RETURNING {Columns}
            """, new
            {
                id = claim.Id, now, no = false, increment = claim.Continuation ? 0 : 1, continuation = claim.Continuation ? 1 : 0,
                expired = now - claim.LeaseTimeout,
            }, ct);
    }

    /// <summary>
    /// Claims jobs in one PostgreSQL statement, each on the conditions of <see cref="StartOneAsync"/>; the started row
    /// or null, per claim in order. A job claimed twice in one batch (a duplicate delivery) is started once.
    /// </summary>
    private async Task<IReadOnlyList<Job?>> StartManyAsync(IReadOnlyList<Claim> claims)
    {
        var now = Now;
        var started = await db.QueryAsync<Job>(
            $"""
            UPDATE jobs SET status = 'running', attempts = attempts + CASE WHEN c.continuation THEN 0 ELSE 1 END,
                started_at = COALESCE(started_at, @now), dispatched_at = COALESCE(dispatched_at, @now), heartbeat_at = @now, updated_at = @now
            FROM unnest(@ids, @continuations, @expired) AS c (claim_id, continuation, expired)
            WHERE id = c.claim_id AND NOT cancel_requested AND (status = 'queued'
                OR (status = 'running' AND (c.continuation OR heartbeat_at IS NULL OR heartbeat_at < c.expired)))
            RETURNING {Columns}
            """, new
            {
                now, ids = claims.Select(c => c.Id).ToArray(), continuations = claims.Select(c => c.Continuation).ToArray(),
                expired = claims.Select(c => now - c.LeaseTimeout).ToArray(),
            });
        return Matched(claims.Select(c => c.Id), started);
    }

    /// <summary>The returned row of each id in order, or null; an id asked twice gets its row once.</summary>
    private static Job?[] Matched(IEnumerable<Guid> ids, IReadOnlyList<Job> rows)
    {
        var byId = rows.ToDictionary(r => r.Id);
        return [.. ids.Select(id => byId.Remove(id, out var row) ? row : null)];
    }

    /// <summary>
    /// Hands a running job back to the queue (a transient failure about to be retried, or a worker shutting down),
    /// so the next delivery can claim it at once instead of waiting for the lease to expire.
    /// </summary>
    public Task ReleaseAsync(Guid id, CancellationToken ct = default) =>
        db.ExecuteAsync(
            "UPDATE jobs SET status = 'queued', heartbeat_at = NULL, updated_at = @now WHERE id = @id AND status = 'running'",
            new { id, now = Now }, ct);

    /// <summary>
    /// Running jobs whose worker stopped beating: those with attempts left go back to queued and unsent (the
    /// dispatcher sends them again); the others fail with <c>worker_lost</c> and are returned for the JobFailed event.
    /// Each row changes in one conditional statement, so concurrent sweepers in several API replicas agree.
    /// </summary>
    public async Task<(int Requeued, IReadOnlyList<Job> Failed)> RecoverLostAsync(TimeSpan leaseTimeout, int maxAttempts,
        CancellationToken ct = default)
    {
        var now = Now;
        var expired = now - leaseTimeout;
        var failedIds = await db.QueryAsync<Guid>(
            """
            UPDATE jobs SET status = 'failed', error_code = 'worker_lost', finished_at = @now, updated_at = @now,
                error_message = 'The worker running this job stopped ' || attempts || ' times; it will not be tried again.'
            WHERE status = 'running' AND heartbeat_at < @expired AND attempts >= @maxAttempts
            RETURNING id
            """, new { now, expired, maxAttempts }, ct);
        var requeued = await db.ExecuteAsync(
            """
            UPDATE jobs SET status = 'queued', dispatched_at = NULL, heartbeat_at = NULL, updated_at = @now
            WHERE status = 'running' AND heartbeat_at < @expired
            """, new { now, expired }, ct);
        var failed = new List<Job>();
        foreach (var id in failedIds)
        {
            failed.Add((await GetAsync(id, ct: ct))!);
        }
        return (requeued, failed);
    }

    /// <summary>
    /// For the in-memory bus after a restart: its queues died with the process, so every unfinished job must be sent again.
    /// </summary>
    public Task<int> ResetUnfinishedForResendAsync(CancellationToken ct = default) =>
        db.ExecuteAsync(
            "UPDATE jobs SET status = 'queued', dispatched_at = NULL, heartbeat_at = NULL, updated_at = @now WHERE status IN ('queued', 'running')",
            new { now = Now }, ct);

    /// <summary>
    /// Sent and unfinished jobs per tenant and type: what is on the broker or being worked on. Every tenant's, or
    /// only those of <paramref name="tenantIds"/>. <paramref name="sentUnrecorded"/> are jobs a dispatcher has sent
    /// but not yet recorded as sent: those still queued with no send recorded count too, while those a worker has
    /// claimed since (the claim records the send) or that have ended are counted once or not at all. Read in one
    /// statement, so a job claimed meanwhile is not missed by both halves.
    /// </summary>
    public async Task<Dictionary<(string TenantId, string Type), int>> CountInFlightAsync(IReadOnlyCollection<string>? tenantIds = null,
        CancellationToken ct = default, IReadOnlyCollection<Guid>? sentUnrecorded = null)
    {
        var unrecorded = sentUnrecorded is { Count: > 0 }
            ? $"""
              UNION ALL
              SELECT tenant_id, type, count(*) FROM jobs
              WHERE {db.Sql("id = ANY(@sentUnrecorded)", "id IN @sentUnrecorded")} AND dispatched_at IS NULL AND status IN ('queued', 'running')
              GROUP BY tenant_id, type
              """
            : "";
        var rows = await db.QueryAsync<(string TenantId, string Type, long Count)>(
            $"""
            SELECT tenant_id, type, count(*) FROM jobs
            WHERE dispatched_at IS NOT NULL AND status IN ('queued', 'running')
              {(tenantIds is null ? "" : "AND " + db.Sql("tenant_id = ANY(@tenantIds)", "tenant_id IN @tenantIds"))}
            GROUP BY tenant_id, type
            {unrecorded}
            """, new { tenantIds = tenantIds?.ToArray(), sentUnrecorded = sentUnrecorded?.ToArray() }, ct);
        return rows.GroupBy(r => (r.TenantId, r.Type)).ToDictionary(g => g.Key, g => (int)g.Sum(r => r.Count));
    }

    /// <summary>Records progress (0–100) and proves the worker is alive. False when the job is no longer running.</summary>
    public async Task<bool> ReportProgressAsync(Guid id, int progress, CancellationToken ct = default) =>
        await db.ExecuteAsync(
            """
            UPDATE jobs SET progress = @progress, heartbeat_at = @now, updated_at = @now
            WHERE id = @id AND status = 'running'
            """, new { id, progress = Math.Clamp(progress, 0, 100), now = Now }, ct) > 0;

    private const string Succeeded =
        "status = 'succeeded', progress = 100, error_code = NULL, error_message = NULL, finished_at = @now, updated_at = @now";

    /// <summary>Records success and returns the ended row; null when the job was not queued or running.</summary>
    public async Task<Job?> SucceedReturningAsync(Guid id, string? result, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        return _successes is not null
            ? await _successes.RunAsync((id, result))
            : await db.QuerySingleOrDefaultAsync<Job>(
                $"UPDATE jobs SET {Succeeded}, result = @result WHERE id = @id AND status IN ('queued', 'running') RETURNING {Columns}",
                new { id, result, now = Now }, ct);
    }

    /// <summary>Records the successes in one PostgreSQL statement; the ended row or null, per job in order.</summary>
    private async Task<IReadOnlyList<Job?>> SucceedManyAsync(IReadOnlyList<(Guid Id, string? Result)> jobs)
    {
        var ended = await db.QueryAsync<Job>(
            $"""
            UPDATE jobs SET {Succeeded}, result = s.outcome
            FROM unnest(@ids, @results) AS s (success_id, outcome)
            WHERE id = s.success_id AND status IN ('queued', 'running')
            RETURNING {Columns}
            """, new { ids = jobs.Select(j => j.Id).ToArray(), results = jobs.Select(j => j.Result).ToArray(), now = Now });
        return Matched(jobs.Select(j => j.Id), ended);
    }

    public async Task<bool> SucceedAsync(Guid id, string? result, CancellationToken ct = default) =>
        await SucceedReturningAsync(id, result, ct) is not null;

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

    /// <summary>
    /// Puts a failed or cancelled job back in the queue for another run: attempts are kept, the error and result are
    /// cleared, and it counts as not yet sent, so the dispatch sweeper sends it if the caller's send does not happen.
    /// </summary>
    public async Task<bool> RequeueAsync(Guid id, CancellationToken ct = default) =>
        await db.ExecuteAsync(
            """
            UPDATE jobs SET status = 'queued', progress = 0, error_code = NULL, error_message = NULL, result = NULL,
                cancel_requested = @no, dispatched_at = NULL, finished_at = NULL, heartbeat_at = NULL, updated_at = @now
            WHERE id = @id AND status IN ('failed', 'cancelled')
            """, new { id, no = false, now = Now }, ct) > 0;

    /// <summary>Deletes a job that has ended; a queued or running job must be cancelled first.</summary>
    public async Task<bool> DeleteAsync(Guid id, CancellationToken ct = default) =>
        await db.ExecuteAsync(
            "DELETE FROM jobs WHERE id = @id AND status IN ('succeeded', 'failed', 'cancelled')", new { id }, ct) > 0;

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

    /// <summary>
    /// Queued jobs whose command is not sent: held back by the per-tenant limit, recovered from a lost worker, or
    /// recorded by a process that died (or lost the broker) between commit and send. Oldest first.
    /// </summary>
    /// <remarks>
    /// At most <paramref name="perTenant"/> of each tenant and type (no more could be sent in one turn), so one
    /// tenant's held backlog cannot crowd every other tenant's waiting jobs out of the list.
    /// </remarks>
    public Task<IReadOnlyList<Job>> ListUndispatchedAsync(TimeSpan olderThan, int limit, CancellationToken ct = default,
        int perTenant = int.MaxValue) =>
        db.QueryAsync<Job>(
            $"""
            SELECT {Columns} FROM (
                SELECT jobs.*, row_number() OVER (PARTITION BY tenant_id, type ORDER BY created_at) AS turn FROM jobs
                WHERE status = 'queued' AND dispatched_at IS NULL AND updated_at < @before) waiting
            WHERE turn <= @perTenant ORDER BY created_at LIMIT @limit
            """,
            new { before = Now - olderThan, limit, perTenant }, ct);

    public async Task<IReadOnlyDictionary<string, int>> CountByStatusAsync(CancellationToken ct = default)
    {
        var rows = await db.QueryAsync<(string Status, long Count)>("SELECT status, count(*) FROM jobs GROUP BY status", ct: ct);
        return rows.ToDictionary(r => r.Status, r => (int)r.Count);
    }

    /// <summary>Stops taking claims and successes and waits for those already taken to be written.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_claims is not null)
        {
            await _claims.DisposeAsync();
        }
        if (_successes is not null)
        {
            await _successes.DisposeAsync();
        }
    }
}

public enum JobClaim
{
    /// <summary>This worker now runs the job.</summary>
    Started,

    /// <summary>The job already succeeded, failed or was cancelled.</summary>
    Ended,

    /// <summary>Another worker holds a live lease on it (a duplicate command).</summary>
    Busy,

    /// <summary>No such job.</summary>
    Unknown,
}

public sealed record JobQuery(string? TenantId = null, string? Status = null, string? Type = null, int Limit = 50);
