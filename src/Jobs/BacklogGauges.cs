using System.Diagnostics.Metrics;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Platform.Data;
using Platform.ServiceDefaults;

namespace Platform.Jobs;

/// <summary>
/// Gauges read from the job and backup tables, refreshed in the background (a scrape never waits on the database):
/// jobs waiting per type (and how many of them are not on the broker yet), the age of the oldest one (queue backlog
/// age), and when the last backup succeeded.
/// The tables are shared, so every host reports the same figures; dashboards and alerts take max().
/// </summary>
public sealed class BacklogGauges : BackgroundService
{
    private readonly Db _db;
    private readonly TimeProvider _time;
    private readonly ILogger<BacklogGauges> _logger;
    // Its own Meter named "Platform", disposed with the host, so a stopped host's gauges stop reporting.
    private readonly Meter _meter = new(PlatformMetrics.MeterName);
    private volatile Snapshot _snapshot = new([], null);

    public BacklogGauges(Db db, TimeProvider time, ILogger<BacklogGauges> logger)
    {
        _db = db;
        _time = time;
        _logger = logger;
        _meter.CreateObservableGauge("platform.jobs.queued", () =>
            _snapshot.Queued.Select(q => new Measurement<long>(q.Count, new KeyValuePair<string, object?>("type", q.Type))),
            "{job}", "Jobs accepted but not yet started, by job type.");
        _meter.CreateObservableGauge("platform.jobs.oldest_queued_age", () =>
            _snapshot.Queued.Select(q => new Measurement<double>(Age(q.Oldest), new KeyValuePair<string, object?>("type", q.Type))),
            "s", "Age of the oldest job not yet started, by job type (queue backlog age).");
        _meter.CreateObservableGauge("platform.jobs.unsent", () =>
            _snapshot.Queued.Select(q => new Measurement<long>(q.Unsent, new KeyValuePair<string, object?>("type", q.Type))),
            "{job}", "Queued jobs whose command is not on the broker yet (held by a tenant's limit, or behind the dispatcher), by job type.");
        _meter.CreateObservableGauge("platform.backup.last_success_time", () =>
            _snapshot.LastBackup is { } at ? [new Measurement<double>(at.ToUnixTimeMilliseconds() / 1000.0)] : Array.Empty<Measurement<double>>(),
            "s", "Unix time the newest successful database backup finished.");
    }

    /// <summary>
    /// Reads the tables once; the background loop calls it every <see cref="JobTimings.BacklogRefresh"/>. Queued jobs are read as
    /// the unsent and the sent ones, each arm matching a partial index (ix_jobs_unsent, ix_jobs_in_flight): there is no
    /// index on status alone, so that no per-job statement can pick one (schema step 9).
    /// </summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        var queued = await _db.QueryAsync<QueuedRow>(
            """
            SELECT type AS Type, count(*) AS Count, count(*) FILTER (WHERE dispatched_at IS NULL) AS Unsent, min(created_at) AS Oldest
            FROM (
                SELECT type, dispatched_at, created_at FROM jobs WHERE status = 'queued' AND dispatched_at IS NULL
                UNION ALL
                SELECT type, dispatched_at, created_at FROM jobs WHERE status = 'queued' AND dispatched_at IS NOT NULL
            ) queued
            GROUP BY type
            """, ct: ct);
        var lastBackup = await _db.QuerySingleOrDefaultAsync<DateTimeOffset?>(
            "SELECT max(finished_at) FROM backups WHERE status = 'succeeded'", ct: ct);
        _snapshot = new Snapshot(queued, lastBackup);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(JobTimings.BacklogRefresh, _time);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                _logger.LogDebug(ex, "Backlog gauges not refreshed (schema not migrated yet or database away)");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public override void Dispose()
    {
        _meter.Dispose();
        base.Dispose();
    }

    private double Age(DateTimeOffset oldest) => Math.Max(0, (_time.GetUtcNow() - oldest).TotalSeconds);

    private sealed record Snapshot(IReadOnlyList<QueuedRow> Queued, DateTimeOffset? LastBackup);

    private sealed class QueuedRow
    {
        public string Type { get; init; } = "";
        public long Count { get; init; }

        public long Unsent { get; init; }

        public DateTimeOffset Oldest { get; init; }
    }
}
