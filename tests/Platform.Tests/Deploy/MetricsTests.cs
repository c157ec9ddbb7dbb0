using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Jobs;
using Platform.ServiceDefaults;
using Platform.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Platform.Tests.Deploy;

/// <summary>
/// The hand-written Prometheus exporter, the platform's instruments, and the alert rules and dashboard that query
/// them: every platform metric a rule or panel names is one /metrics really writes.
/// </summary>
[TestFixture]
public sealed partial class MetricsTests
{
    private string _dir = null!;
    private Db _db = null!;
    private PrometheusExporter _exporter = null!;
    private BacklogGauges _gauges = null!;
    private string _text = null!;
    private string _type = null!;
    private DateTimeOffset _backupFinished;

    [OneTimeSetUp]
    public async Task Record()
    {
        _dir = Directory.CreateTempSubdirectory("platform-metrics-").FullName;
        _db = new Db(Options.Create(new DatabaseOptions { Provider = "Sqlite", ConnectionString = $"Data Source={Path.Combine(_dir, "p.db")}" }));
        await new SchemaMigrator(_db, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        _exporter = new PrometheusExporter(PlatformMetrics.ExportedMeters);
        _type = "metrics-test-" + Guid.NewGuid().ToString("N")[..8];

        var now = DateTimeOffset.UtcNow;
        _backupFinished = now.AddHours(-3);
        await _db.ExecuteAsync(
            "INSERT INTO jobs (id, tenant_id, type, status, created_at, updated_at, dispatched_at) " +
            "VALUES (@a, 't', @type, 'queued', @old, @old, @old), (@b, 't', @type, 'queued', @now, @now, NULL)",
            new { a = Guid.NewGuid(), b = Guid.NewGuid(), type = _type, old = now.AddMinutes(-20), now });
        await _db.ExecuteAsync(
            "INSERT INTO backups (id, job_id, status, provider, blob_key, started_at, finished_at) VALUES (@id, @job, 'succeeded', 'sqlite', 'k', @at, @at)",
            new { id = Guid.NewGuid(), job = Guid.NewGuid(), at = _backupFinished });
        _gauges = new BacklogGauges(_db, TimeProvider.System, NullLogger<BacklogGauges>.Instance);
        await _gauges.RefreshAsync(CancellationToken.None);

        PlatformMetrics.RecordJob(_type, PlatformMetrics.Outcomes.Succeeded, TimeSpan.FromSeconds(0.3));
        PlatformMetrics.RecordJob(_type, PlatformMetrics.Outcomes.Succeeded, TimeSpan.FromSeconds(7));
        PlatformMetrics.RecordJob(_type, PlatformMetrics.Outcomes.Failed, TimeSpan.FromSeconds(2));
        _text = _exporter.Render();
    }

    [OneTimeTearDown]
    public async Task Cleanup()
    {
        _gauges.Dispose();
        _exporter.Dispose();
        await _db.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public void Should_escape_label_values_and_keep_one_series_per_label_set_whatever_the_tag_order()
    {
        var name = "test.meter." + Guid.NewGuid().ToString("N")[..8];
        using var exporter = new PrometheusExporter([name]);
        using var meter = new System.Diagnostics.Metrics.Meter(name);
        var counter = meter.CreateCounter<long>("test.requests");
        counter.Add(1, new("route", "a\"b\\c\nd"), new("method", "GET"));
        counter.Add(2, new("method", "GET"), new("route", "a\"b\\c\nd"));
        counter.Add(5, new("method", "POST"), new("route", "/x"));

        var text = exporter.Render();
        Assert.That(text, Does.Contain("test_requests_total{method=\"GET\",route=\"a\\\"b\\\\c\\nd\"} 3\n"));
        Assert.That(text, Does.Contain("test_requests_total{method=\"POST\",route=\"/x\"} 5\n"));
        Assert.That(Regex.Matches(text, "^test_requests_total", RegexOptions.Multiline), Has.Count.EqualTo(2));
    }

    [Test]
    public void Should_export_the_runtime_allocation_and_cpu_counters()
    {
        // The throughput benchmark reads allocations per job from here (bench/throughput).
        GC.KeepAlive(new byte[1024]);
        var text = _exporter.Render();
        Assert.That(text, Does.Match(@"(?m)^dotnet_gc_heap_total_allocated_bytes_total [0-9.e+]+$"));
        Assert.That(text, Does.Contain("dotnet_process_cpu_time_seconds_total{"));
    }

    [Test]
    public void Should_count_jobs_by_type_and_outcome()
    {
        Assert.That(_text, Does.Contain("# TYPE platform_jobs_ended_total counter\n"));
        Assert.That(_text, Does.Contain($"platform_jobs_ended_total{{outcome=\"succeeded\",type=\"{_type}\"}} 2\n"));
        Assert.That(_text, Does.Contain($"platform_jobs_ended_total{{outcome=\"failed\",type=\"{_type}\"}} 1\n"));
    }

    [Test]
    public void Should_bucket_job_durations_cumulatively_in_seconds()
    {
        Assert.That(_text, Does.Contain("# TYPE platform_job_duration_seconds histogram\n"));
        var labels = $"outcome=\"succeeded\",type=\"{_type}\"";
        Assert.That(_text, Does.Contain($"platform_job_duration_seconds_bucket{{{labels},le=\"0.25\"}} 0\n"));
        Assert.That(_text, Does.Contain($"platform_job_duration_seconds_bucket{{{labels},le=\"0.5\"}} 1\n"));
        Assert.That(_text, Does.Contain($"platform_job_duration_seconds_bucket{{{labels},le=\"5\"}} 1\n"));
        Assert.That(_text, Does.Contain($"platform_job_duration_seconds_bucket{{{labels},le=\"10\"}} 2\n"));
        Assert.That(_text, Does.Contain($"platform_job_duration_seconds_bucket{{{labels},le=\"+Inf\"}} 2\n"));
        Assert.That(_text, Does.Contain($"platform_job_duration_seconds_sum{{{labels}}} 7.3\n"));
        Assert.That(_text, Does.Contain($"platform_job_duration_seconds_count{{{labels}}} 2\n"));
    }

    [Test]
    public void Should_report_the_backlog_and_the_last_backup_from_the_database()
    {
        Assert.That(_text, Does.Contain($"platform_jobs_queued{{type=\"{_type}\"}} 2\n"));
        Assert.That(_text, Does.Contain($"platform_jobs_unsent{{type=\"{_type}\"}} 1\n"), "one of them is on the broker, one is not");
        var age = double.Parse(Regex.Match(_text, $"platform_jobs_oldest_queued_age_seconds\\{{type=\"{_type}\"\\}} (\\S+)").Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(age, Is.InRange(20 * 60 - 1, 20 * 60 + 120), "the oldest queued job is 20 minutes old");
        var last = double.Parse(Regex.Match(_text, @"^platform_backup_last_success_time_seconds (\S+)", RegexOptions.Multiline).Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(last, Is.EqualTo(_backupFinished.ToUnixTimeMilliseconds() / 1000.0).Within(0.01));
    }

    [Test]
    public void Should_write_only_valid_prometheus_text_format_lines()
    {
        foreach (var line in _text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.That(line, Does.Match(@"^(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+|[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*=""([^""\\]|\\.)*"",?)*\})? (\+Inf|-Inf|NaN|-?[0-9.]+(E[-+]?[0-9]+)?))$"));
        }
        var types = Regex.Matches(_text, @"^# TYPE (\S+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.That(types, Is.Unique, "one TYPE line per metric family");
    }

    /// <summary>platform_* metric families /metrics writes (histogram series reduced to the family name).</summary>
    private HashSet<string> EmittedPlatformMetrics() =>
        Regex.Matches(_text, @"^(platform_[a-z_]+?)(_bucket|_sum|_count)?(\{| )", RegexOptions.Multiline)
            .SelectMany(m => new[] { m.Groups[1].Value, m.Groups[1].Value + m.Groups[2].Value })
            .ToHashSet();

    [Test]
    public void Should_alert_on_missing_backups_failures_backlog_age_and_down_workers_using_metrics_that_exist()
    {
        var rules = YamlExtensions.LoadFile(Path.Combine(DeployFiles.ChartDir, "files", "alerts.yml"))
            .Seq("groups").Cast<YamlMappingNode>().SelectMany(g => g.Seq("rules").Cast<YamlMappingNode>()).ToList();
        var byName = rules.ToDictionary(r => r.Str("alert"), r => r.Str("expr"));
        Assert.That(byName.Keys, Is.SupersetOf(new[]
        {
            "PlatformBackupMissing", "PlatformJobFailureRateHigh", "PlatformQueueBacklogOld", "PlatformWorkerDown",
        }));
        Assert.That(byName["PlatformBackupMissing"], Does.Contain("26 * 3600"));
        Assert.That(byName["PlatformWorkerDown"], Does.Contain("up{job=~\"platform-.*\"} == 0"));
        var emitted = EmittedPlatformMetrics();
        foreach (var (name, expr) in byName)
        {
            foreach (var metric in Regex.Matches(expr, @"\bplatform_[a-z_]+").Select(m => m.Value))
            {
                Assert.That(emitted, Does.Contain(metric), $"{name} queries {metric}");
            }
        }
        foreach (var rule in rules)
        {
            Assert.That(rule.Map("labels").Str("severity"), Is.AnyOf("warning", "critical"));
            Assert.That(rule.Map("annotations").Str("summary"), Is.Not.Empty);
        }
    }

    [Test]
    public void Should_provision_a_dashboard_whose_queries_use_metrics_that_exist()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(DeployFiles.ChartDir, "files", "grafana-dashboard.json")));
        var datasource = YamlExtensions.LoadFile(Path.Combine(RepoPaths.Root, "deploy", "grafana", "provisioning", "datasources", "prometheus.yml"));
        var uid = ((YamlMappingNode)datasource.Seq("datasources")[0]).Str("uid");
        var emitted = EmittedPlatformMetrics();
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray().ToList();
        Assert.That(panels, Has.Count.GreaterThanOrEqualTo(8));
        foreach (var panel in panels)
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                Assert.That(target.GetProperty("datasource").GetProperty("uid").GetString(), Is.EqualTo(uid));
                var expr = target.GetProperty("expr").GetString()!;
                foreach (var metric in Regex.Matches(expr, @"\bplatform_[a-z_]+").Select(m => m.Value))
                {
                    Assert.That(emitted, Does.Contain(metric), $"{panel.GetProperty("title")} queries {metric}");
                }
            }
        }
    }
}
