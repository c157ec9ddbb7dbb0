using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Platform.ServiceDefaults;

/// <summary>
/// The platform's own instruments (meter <c>Platform</c>). Static, like the runtime's own meters, so the job lifecycle
/// can record without a constructor change; OpenTelemetry reads them by meter name for /metrics and OTLP.
/// </summary>
public static class PlatformMetrics
{
    public const string MeterName = "Platform";

    /// <summary>Backup freshness and verification, recorded by the backup worker.</summary>
    public const string BackupMeterName = "Platform.Backup";

    /// <summary>Every meter the platform exports: its own, and the ones the libraries it uses emit.</summary>
    public static readonly IReadOnlyList<string> ExportedMeters =
        [MeterName, BackupMeterName, "System.Runtime", "MassTransit", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "Npgsql"];

    /// <summary>The activity sources that make one job one trace: API request, send, consume, database calls.</summary>
    public static readonly IReadOnlyList<string> TracedSources =
        [ActivitySourceName, "MassTransit", "Microsoft.AspNetCore", "System.Net.Http", "Npgsql"];

    /// <summary>The platform's own spans (a job's dispatch, which runs apart from the request that submitted it).</summary>
    public const string ActivitySourceName = "Platform";

    public static readonly System.Diagnostics.ActivitySource ActivitySource = new(ActivitySourceName, "1.0");

    public static readonly Meter Meter = new(MeterName, "1.0");

    private static readonly Counter<long> JobsEnded =
        Meter.CreateCounter<long>("platform.jobs.ended", "{job}", "Job runs (one per consumed command) that ended, by job type and outcome.");

    private static readonly Histogram<double> JobDuration =
        Meter.CreateHistogram<double>("platform.job.duration", "s", "Time a job run took, by job type and outcome.");

    public static class Outcomes
    {
        public const string Succeeded = "succeeded";
        public const string Failed = "failed";
        public const string Cancelled = "cancelled";

        /// <summary>A transient failure that will be retried (not the end of the job).</summary>
        public const string Retried = "retried";
    }

    public static void RecordJob(string jobType, string outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { "type", jobType }, { "outcome", outcome } };
        JobsEnded.Add(1, tags);
        JobDuration.Record(elapsed.TotalSeconds, tags);
    }

    public static long Timestamp() => Stopwatch.GetTimestamp();
}
