using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
/// What a running host's <c>/metrics</c> really writes (OpenTelemetry's Prometheus exporter), the platform's
/// instruments, and the alert rules and dashboard that query them: every metric a rule or panel names is one the
/// scrape has.
/// </summary>
[TestFixture]
public sealed partial class MetricsTests
{
    private string _dir = null!;
    private WebApplication _host = null!;
    private string _text = null!;
    private string _brokerText = null!;
    private string _type = null!;
    private DateTimeOffset _backupFinished;

    [OneTimeSetUp]
    public async Task Record()
    {
        _dir = Directory.CreateTempSubdirectory("platform-metrics-").FullName;
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration["Database:ConnectionString"] = $"Data Source={Path.Combine(_dir, "p.db")}";
        builder.AddPlatformDefaults();
        builder.AddPlatformData();
        builder.AddJobEngine();
        _host = builder.Build();
        _host.MapPlatformHealth();
        await _host.StartAsync();
        _type = "metrics-test-" + Guid.NewGuid().ToString("N")[..8];

        var db = _host.Services.GetRequiredService<Db>();
        var now = DateTimeOffset.UtcNow;
        _backupFinished = now.AddHours(-3);
        await db.ExecuteAsync(
            "INSERT INTO jobs (id, tenant_id, type, status, created_at, updated_at, dispatched_at) " +
            "VALUES (@a, 't', @type, 'queued', @old, @old, @old), (@b, 't', @type, 'queued', @now, @now, NULL)",
            new { a = Guid.NewGuid(), b = Guid.NewGuid(), type = _type, old = now.AddMinutes(-20), now });
        await db.ExecuteAsync(
            "INSERT INTO backups (id, job_id, status, provider, blob_key, started_at, finished_at) VALUES (@id, @job, 'succeeded', 'sqlite', 'k', @at, @at)",
            new { id = Guid.NewGuid(), job = Guid.NewGuid(), at = _backupFinished });
        await _host.Services.GetRequiredService<BacklogGauges>().RefreshAsync(CancellationToken.None);

        PlatformMetrics.RecordJob(_type, PlatformMetrics.Outcomes.Succeeded, TimeSpan.FromSeconds(0.3));
        PlatformMetrics.RecordJob(_type, PlatformMetrics.Outcomes.Succeeded, TimeSpan.FromSeconds(7));
        PlatformMetrics.RecordJob(_type, PlatformMetrics.Outcomes.Failed, TimeSpan.FromSeconds(2));
        await _host.GetTestClient().GetAsync("/health/live"); // a request, so the HTTP server metrics have a sample
        _text = await ScrapeAsync();
        // The broker's own series (RabbitMQ's prometheus plugin), scraped as deploy/prometheus/prometheus.yml does.
        using var rabbit = new HttpClient();
        _brokerText = await rabbit.GetStringAsync(
            $"http://{TestServices.RabbitMqHost}:15692/metrics/detailed?family=queue_coarse_metrics&family=queue_consumer_count");
    }

    [OneTimeTearDown]
    public async Task Cleanup()
    {
        await _host.StopAsync();
        await _host.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        TestFolders.Delete(_dir);
    }

    private async Task<string> ScrapeAsync()
    {
        var response = await _host.GetTestClient().GetAsync("/metrics");
        Assert.That(response.IsSuccessStatusCode, Is.True, "GET /metrics");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The value of the one sample of <paramref name="name"/> carrying every label given (others may be present).</summary>
    private static double Sample(string text, string name, params (string Label, string Value)[] labels)
    {
        var matches = Regex.Matches(text, $@"^{Regex.Escape(name)}(?:\{{(?<labels>[^}}]*)\}})? (?<value>\S+)(?: \d+)?$", RegexOptions.Multiline)
            .Where(m => labels.All(l => m.Groups["labels"].Value.Contains($"{l.Label}=\"{l.Value}\"", StringComparison.Ordinal)))
            .ToList();
        Assert.That(matches, Has.Count.EqualTo(1), $"one {name} sample with {string.Join(",", labels)}");
        return double.Parse(matches[0].Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Test]
    public void Should_export_the_runtime_allocation_and_cpu_counters()
    {
        // The throughput benchmark reads allocations per job from here (bench/throughput).
        GC.KeepAlive(new byte[1024]);
        Assert.That(Sample(_text, "dotnet_gc_heap_total_allocated_bytes_total"), Is.GreaterThan(0));
        Assert.That(_text, Does.Contain("dotnet_process_cpu_time_seconds_total{"));
    }

    [Test]
    public void Should_count_jobs_by_type_and_outcome()
    {
        Assert.That(_text, Does.Contain("# TYPE platform_jobs_ended_total counter\n"));
        Assert.That(Sample(_text, "platform_jobs_ended_total", ("outcome", "succeeded"), ("type", _type)), Is.EqualTo(2));
        Assert.That(Sample(_text, "platform_jobs_ended_total", ("outcome", "failed"), ("type", _type)), Is.EqualTo(1));
    }

    [Test]
    public void Should_bucket_job_durations_cumulatively_in_seconds()
    {
        Assert.That(_text, Does.Contain("# TYPE platform_job_duration_seconds histogram\n"));
        (string, string)[] labels = [("outcome", "succeeded"), ("type", _type)];
        double Bucket(string le) => Sample(_text, "platform_job_duration_seconds_bucket", [.. labels, ("le", le)]);
        Assert.That((Bucket("0.25"), Bucket("0.5"), Bucket("5"), Bucket("10"), Bucket("+Inf")), Is.EqualTo((0, 1, 1, 2, 2)));
        Assert.That(Sample(_text, "platform_job_duration_seconds_sum", labels), Is.EqualTo(7.3).Within(1e-9));
        Assert.That(Sample(_text, "platform_job_duration_seconds_count", labels), Is.EqualTo(2));
    }

    [Test]
    public void Should_report_the_backlog_and_the_last_backup_from_the_database()
    {
        Assert.That(Sample(_text, "platform_jobs_queued", ("type", _type)), Is.EqualTo(2));
        Assert.That(Sample(_text, "platform_jobs_unsent", ("type", _type)), Is.EqualTo(1), "one of them is on the broker, one is not");
        Assert.That(Sample(_text, "platform_jobs_oldest_queued_age_seconds", ("type", _type)), Is.InRange(20 * 60 - 1, 20 * 60 + 120),
            "the oldest queued job is 20 minutes old");
        Assert.That(Sample(_text, "platform_backup_last_success_time_seconds"),
            Is.EqualTo(_backupFinished.ToUnixTimeMilliseconds() / 1000.0).Within(0.01));
    }

    [Test]
    public void Should_write_only_valid_prometheus_text_format_lines()
    {
        foreach (var line in _text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.That(line, Does.Match(@"^(# (HELP|TYPE|EOF|UNIT)( [a-zA-Z_:][a-zA-Z0-9_:]* .+)?|[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*=""([^""\\]|\\.)*"",?)*\})? (\+Inf|-Inf|NaN|-?[0-9.]+([Ee][-+]?[0-9]+)?)( -?[0-9]+)?)$"));
        }
        var types = Regex.Matches(_text, @"^# TYPE (\S+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.That(types, Is.Unique, "one TYPE line per metric family");
    }

    /// <summary>Every series name a platform host's /metrics or the broker's writes, and each histogram's family name.</summary>
    private HashSet<string> EmittedMetrics() =>
        Regex.Matches(_text, @"^([a-zA-Z_:][a-zA-Z0-9_:]*?)(_bucket|_sum|_count)?(\{| )", RegexOptions.Multiline)
            .SelectMany(m => new[] { m.Groups[1].Value, m.Groups[1].Value + m.Groups[2].Value })
            // The broker's per-queue families have samples only while queues exist; its TYPE lines name them regardless.
            .Concat(Regex.Matches(_brokerText, @"^# TYPE (\S+) ", RegexOptions.Multiline).Select(m => m.Groups[1].Value))
            .ToHashSet();

    /// <summary>
    /// The metric names a PromQL expression reads: names before a selector or range, and bare platform_* names; not
    /// functions, label names, <c>up</c> (Prometheus' own) or kube_* (kube-state-metrics').
    /// </summary>
    private static IEnumerable<string> QueriedMetrics(string expr) =>
        Regex.Matches(Regex.Replace(expr, @"\{[^}]*\}", "{}"), @"\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?=\s*[\{\[])|\bplatform_[a-z_]+")
            .Select(m => m.Value)
            .Where(name => name != "up" && !name.StartsWith("kube_", StringComparison.Ordinal))
            .Distinct();

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
        var emitted = EmittedMetrics();
        foreach (var (name, expr) in byName)
        {
            foreach (var metric in QueriedMetrics(expr))
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
        var emitted = EmittedMetrics();
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray().ToList();
        Assert.That(panels, Has.Count.GreaterThanOrEqualTo(8));
        foreach (var panel in panels)
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                Assert.That(target.GetProperty("datasource").GetProperty("uid").GetString(), Is.EqualTo(uid));
                var expr = target.GetProperty("expr").GetString()!;
                foreach (var metric in QueriedMetrics(expr))
                {
                    Assert.That(emitted, Does.Contain(metric), $"{panel.GetProperty("title")} queries {metric}");
                }
            }
        }
    }
}
