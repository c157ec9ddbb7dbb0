using Platform.Data;
using Platform.Jobs;
using Platform.ServiceDefaults;

namespace Platform.Api.Dashboard;

/// <summary>The read queries only the dashboard needs: counts, throughput, filtered job pages, processes.</summary>
public sealed class DashboardStore(Db db, TimeProvider clock)
{
    private const string JobColumns =
        "id, tenant_id AS TenantId, type, status, progress, attempts, error_code AS ErrorCode, error_message AS ErrorMessage, " +
        "document_id AS DocumentId, created_at AS CreatedAt, updated_at AS UpdatedAt, started_at AS StartedAt, finished_at AS FinishedAt, " +
        // A scalar subquery rather than a join: the filters below name columns (status, tenant_id, created_at) documents has too.
        "(SELECT d.file_name FROM documents d WHERE d.id = jobs.document_id) AS FileName";

    public async Task<Overview> OverviewAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var byTypeAndState = await db.QueryAsync<(string Type, string Status, long Count)>(
            "SELECT type, status, count(*) FROM jobs GROUP BY type, status ORDER BY type, status", ct: ct);
        var minute = db.Dialect.UtcMinute("finished_at");
        var finished = await db.QueryAsync<(string Minute, string Status, long Count)>(
            $"""
            SELECT {minute} AS minute, status, count(*) FROM jobs
            WHERE finished_at >= @since AND status IN ('succeeded', 'failed')
            GROUP BY {minute}, status
            """, new { since = now.AddHours(-24) }, ct);
        var counts = finished.ToLookup(r => r.Minute);
        return new Overview(
            JobStatus.All.ToDictionary(s => s, s => byTypeAndState.Where(r => r.Status == s).Sum(r => r.Count)),
            byTypeAndState.GroupBy(r => r.Type).ToDictionary(g => g.Key, g => g.ToDictionary(r => r.Status, r => r.Count)),
            Series(counts, now, 60),
            Series(counts, now, 24 * 60),
            now);
    }

    /// <summary>One point per minute, oldest first, ending with the current minute (minutes with nothing count zero).</summary>
    private static Throughput Series(ILookup<string, (string Minute, string Status, long Count)> counts, DateTimeOffset now, int minutes)
    {
        var end = new DateTimeOffset(now.UtcDateTime.Year, now.UtcDateTime.Month, now.UtcDateTime.Day, now.UtcDateTime.Hour,
            now.UtcDateTime.Minute, 0, TimeSpan.Zero);
        var succeeded = new long[minutes];
        var failed = new long[minutes];
        for (var i = 0; i < minutes; i++)
        {
            var key = end.AddMinutes(i - minutes + 1).ToString("yyyy-MM-dd'T'HH:mm");
            foreach (var row in counts[key])
            {
                if (row.Status == JobStatus.Succeeded) succeeded[i] += row.Count; else failed[i] += row.Count;
            }
        }
        var total = succeeded.Sum() + failed.Sum();
        return new Throughput(end.AddMinutes(1 - minutes), succeeded, failed, total == 0 ? 0 : Math.Round((double)failed.Sum() / total, 4));
    }

    public async Task<JobPage> ListJobsAsync(JobFilter f, CancellationToken ct)
    {
        const string where =
            """
            WHERE (@Status IS NULL OR status = @Status) AND (@Type IS NULL OR type = @Type)
              AND (@Tenant IS NULL OR tenant_id = @Tenant) AND (@From IS NULL OR created_at >= @From)
              AND (@To IS NULL OR created_at < @To)
            """;
        var rows = await db.QueryAsync<JobRow>(
            $"SELECT {JobColumns} FROM jobs {where} ORDER BY created_at DESC LIMIT @Limit OFFSET @Offset", f, ct);
        var total = await db.QuerySingleOrDefaultAsync<long>($"SELECT count(*) FROM jobs {where}", f, ct);
        return new JobPage(rows, total, f.Limit, f.Offset);
    }

    public async Task<JobFacets> FacetsAsync(CancellationToken ct) => new(
        await db.QueryAsync<string>("SELECT DISTINCT type FROM jobs ORDER BY type LIMIT 100", ct: ct),
        await db.QueryAsync<string>("SELECT DISTINCT tenant_id FROM jobs ORDER BY tenant_id LIMIT 200", ct: ct));

    /// <summary>Failed jobs, oldest first, except those that failed with one of <paramref name="permanent"/> (a retry cannot help them).</summary>
    public Task<IReadOnlyList<Guid>> FailedJobIdsAsync(string? type, IReadOnlyCollection<string> permanent, int limit, CancellationToken ct) =>
        db.QueryAsync<Guid>(
            """
            SELECT id FROM jobs WHERE status = 'failed' AND (@type IS NULL OR type = @type)
              AND (error_code IS NULL OR error_code NOT IN @permanent) ORDER BY created_at LIMIT @limit
            """,
            new { type, permanent, limit }, ct);

    public async Task<IReadOnlyList<WorkerView>> WorkersAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var rows = await db.QueryAsync<WorkerRow>(
            """
            SELECT id, host, role, version, pid, consumers, in_flight AS InFlight, started_at AS StartedAt,
                   last_heartbeat AS LastHeartbeat, stopped_at AS StoppedAt
            FROM workers ORDER BY role, host, started_at
            """, ct: ct);
        return rows.Select(r => new WorkerView(r.Id, r.Host, r.Role, r.Version, r.Pid,
            r.Consumers.Split(',', StringSplitOptions.RemoveEmptyEntries), r.InFlight, r.StartedAt, r.LastHeartbeat, r.StoppedAt,
            r.StoppedAt is not null ? "stopped" : now - r.LastHeartbeat > JobTimings.WorkerLostAfter ? "lost" : "alive")).ToList();
    }

    private sealed class WorkerRow
    {
        public string Id { get; init; } = "";
        public string Host { get; init; } = "";
        public string Role { get; init; } = "";
        public string Version { get; init; } = "";
        public int Pid { get; init; }
        public string Consumers { get; init; } = "";
        public int InFlight { get; init; }
        public DateTimeOffset StartedAt { get; init; }
        public DateTimeOffset LastHeartbeat { get; init; }
        public DateTimeOffset? StoppedAt { get; init; }
    }
}

public sealed record Overview(
    IReadOnlyDictionary<string, long> ByState,
    IReadOnlyDictionary<string, Dictionary<string, long>> ByType,
    Throughput LastHour,
    Throughput Last24Hours,
    DateTimeOffset At);

/// <summary>Jobs finished per minute from <see cref="Start"/>; <see cref="FailureRate"/> is failed / (succeeded + failed).</summary>
public sealed record Throughput(DateTimeOffset Start, long[] Succeeded, long[] Failed, double FailureRate);

public sealed record JobFilter(string? Status, string? Type, string? Tenant, DateTimeOffset? From, DateTimeOffset? To, int Limit, int Offset);

public sealed record JobPage(IReadOnlyList<JobRow> Items, long Total, int Limit, int Offset);

public sealed record JobFacets(IReadOnlyList<string> Types, IReadOnlyList<string> Tenants);

public sealed class JobRow
{
    public Guid Id { get; init; }
    public string TenantId { get; init; } = "";
    public string Type { get; init; } = "";
    public string Status { get; init; } = "";
    public int Progress { get; init; }
    public int Attempts { get; init; }
    public string? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }
    public Guid? DocumentId { get; init; }
    /// <summary>The file name of the job's document (ingest jobs), so a row says which upload it is about.</summary>
    public string? FileName { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
}

public sealed record WorkerView(string Id, string Host, string Role, string Version, int Pid, string[] Consumers, int InFlight,
    DateTimeOffset StartedAt, DateTimeOffset LastHeartbeat, DateTimeOffset? StoppedAt, string State);
