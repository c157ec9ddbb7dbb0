using System.Diagnostics.Metrics;

namespace Platform.Workers.Backup;

/// <summary>What an alert needs about backups: when the last good one finished, how long and how large, and failures.</summary>
public interface IBackupMetrics
{
    void BackupSucceeded(DateTimeOffset finishedAt, TimeSpan duration, long sizeBytes);
    void BackupFailed(string reasonCode);
    void Verified(bool passed, TimeSpan restore);
    DateTimeOffset? LastSuccess { get; }
}

/// <summary>
/// Meter <c>Platform.Backup</c>. <c>platform.backup.last_success</c> (unix seconds) is what the "no good backup for 26 hours"
/// alert compares with the current time; it is seeded from the database at start-up so a restart does not reset it.
/// </summary>
public sealed class BackupMetrics : IBackupMetrics, IDisposable
{
    public const string MeterName = "Platform.Backup";

    private readonly Meter _meter;
    private readonly Histogram<double> _duration;
    private readonly Histogram<long> _size;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _verifications;
    private readonly Histogram<double> _restore;
    private long _lastSuccessUnix;
    private long _lastSizeBytes;
    private double _lastDurationSeconds;

    public BackupMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _duration = _meter.CreateHistogram<double>("platform.backup.duration", "s", "Wall time of successful backups");
        _size = _meter.CreateHistogram<long>("platform.backup.size", "By", "Size of successful backups as stored");
        _failures = _meter.CreateCounter<long>("platform.backup.failures", description: "Backups that failed, by reason");
        _verifications = _meter.CreateCounter<long>("platform.backup.verifications", description: "Verifications, by outcome");
        _restore = _meter.CreateHistogram<double>("platform.backup.restore.duration", "s", "Restore time of verifications");
        _meter.CreateObservableGauge("platform.backup.last_success", () => Interlocked.Read(ref _lastSuccessUnix), "s",
            "Unix time the newest successful backup finished (0: none yet)");
        _meter.CreateObservableGauge("platform.backup.last_size", () => Interlocked.Read(ref _lastSizeBytes), "By", "Size of the newest successful backup");
        _meter.CreateObservableGauge("platform.backup.last_duration", () => _lastDurationSeconds, "s", "Duration of the newest successful backup");
    }

    public DateTimeOffset? LastSuccess => Interlocked.Read(ref _lastSuccessUnix) is > 0 and var s ? DateTimeOffset.FromUnixTimeSeconds(s) : null;

    public void BackupSucceeded(DateTimeOffset finishedAt, TimeSpan duration, long sizeBytes)
    {
        Seed(finishedAt, duration, sizeBytes);
        _duration.Record(duration.TotalSeconds);
        _size.Record(sizeBytes);
    }

    /// <summary>Sets the gauges only (start-up, from the newest backup record).</summary>
    public void Seed(DateTimeOffset finishedAt, TimeSpan duration, long sizeBytes)
    {
        var unix = finishedAt.ToUnixTimeSeconds();
        if (unix > Interlocked.Read(ref _lastSuccessUnix))
        {
            Interlocked.Exchange(ref _lastSuccessUnix, unix);
            Interlocked.Exchange(ref _lastSizeBytes, sizeBytes);
            _lastDurationSeconds = duration.TotalSeconds;
        }
    }

    public void BackupFailed(string reasonCode) => _failures.Add(1, new KeyValuePair<string, object?>("reason", reasonCode));

    public void Verified(bool passed, TimeSpan restore)
    {
        _verifications.Add(1, new KeyValuePair<string, object?>("outcome", passed ? "passed" : "failed"));
        if (passed)
        {
            _restore.Record(restore.TotalSeconds);
        }
    }

    public void Dispose() => _meter.Dispose();
}
