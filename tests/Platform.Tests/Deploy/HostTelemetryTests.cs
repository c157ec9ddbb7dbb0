using System.Text.RegularExpressions;
using System.Diagnostics;
using System.Text.Json;
using Platform.Tests.EndToEnd;
using Platform.Tests.Support;

namespace Platform.Tests.Deploy;

/// <summary>
/// The hosts as deployed, each its own process on real PostgreSQL and RabbitMQ: one job is one trace from the API
/// request through the broker to the worker (the trace id in both processes' JSON logs), and /metrics on each host
/// counts what happened there.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class HostTelemetryTests
{
    private DistributedEnvironment _environment = null!;
    private string _work = null!;

    [OneTimeSetUp]
    public async Task StartServices()
    {
        _environment = await DistributedEnvironment.CreateAsync("telemetry");
        _work = _environment.WorkDirectory;
    }

    [OneTimeTearDown]
    public async Task StopServices() => await _environment.DisposeAsync();

    private Dictionary<string, string> Environment() => _environment.Settings();

    [Test]
    public async Task Should_carry_one_trace_id_from_the_api_request_to_the_worker_and_count_the_job_on_metrics()
    {
        await using var api = await HostProcess.StartAsync(HostProcess.Api, Environment(), _work);
        await using var ingest = await HostProcess.StartAsync(HostProcess.Ingest, Environment(), _work);
        var client = new PlatformClient(new HttpClient { BaseAddress = api.BaseAddress });

        // Bytes no parser accepts: the worker fails the job permanently and logs it inside the job's scope.
        var accepted = await client.UploadAsync("blob.bin", [0, 1, 2, 3, 0, 0, 255, 254, 0, 7], "application/octet-stream");
        var jobId = accepted.GetGuid("jobId");
        var job = await client.WaitForJobAsync(jobId);
        Assert.That(job.GetProperty("status").GetString(), Is.EqualTo("failed"));

        var apiTrace = await WaitForTraceIdAsync(api, jobId);
        var workerTrace = await WaitForTraceIdAsync(ingest, jobId);
        Assert.That(apiTrace, Does.Match("^[0-9a-f]{32}$"));
        Assert.That(workerTrace, Is.EqualTo(apiTrace), "the worker's log of the job carries the API request's trace id");

        // The job row says failed a moment before the runner records the metric (it publishes JobFailed in between).
        var workerMetrics = await ScrapeUntilAsync(ingest, Series("platform_jobs_ended_total", "outcome=\"failed\"", "type=\"ingest\"", 1));
        Assert.That(workerMetrics, Does.Match(Series("platform_job_duration_seconds_count", "outcome=\"failed\"", "type=\"ingest\"", 1)));
        var apiMetrics = await new HttpClient { BaseAddress = api.BaseAddress }.GetStringAsync("metrics");
        Assert.That(apiMetrics, Does.Contain("# TYPE http_server_request_duration_seconds histogram"));
        Assert.That(apiMetrics, Does.Match("http_server_request_duration_seconds_count\\{[^}]*http_response_status_code=\"202\",http_route=\"/api/v1/documents"));
    }

    /// <summary>A sample line of <paramref name="name"/> with both labels (among others) and the value; the exporter may add a timestamp.</summary>
    private static string Series(string name, string label1, string label2, int value) =>
        $@"(?m)^{name}\{{[^}}]*{Regex.Escape(label1)}[^}}]*{Regex.Escape(label2)}[^}}]*\}} {value}( \d+)?$";

    private static async Task<string> ScrapeUntilAsync(HostProcess host, string pattern)
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        string text;
        do
        {
            text = await http.GetStringAsync("metrics");
            if (Regex.IsMatch(text, pattern))
            {
                break;
            }
            await Task.Delay(200);
        } while (DateTime.UtcNow < deadline);
        Assert.That(text, Does.Match(pattern), $"{host.Name} /metrics");
        return text;
    }

    /// <summary>The TraceId scope of the first JSON log line that names the job.</summary>
    private static async Task<string> WaitForTraceIdAsync(HostProcess host, Guid jobId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var line in host.Output.Split('\n').Where(l => l.StartsWith('{') && l.Contains(jobId.ToString())))
            {
                using var log = JsonDocument.Parse(line);
                if (log.RootElement.TryGetProperty("Scopes", out var scopes))
                {
                    foreach (var scope in scopes.EnumerateArray())
                    {
                        if (scope.ValueKind == JsonValueKind.Object && scope.TryGetProperty("TraceId", out var trace))
                        {
                            return trace.GetString()!;
                        }
                    }
                }
            }
            await Task.Delay(200);
        }
        Assert.Fail($"{host.Name} logged no line about job {jobId} with a trace id:\n{host.Output}");
        return "";
    }
}

/// <summary>The migrations hook: the API image run with Hosting__MigrateAndExit=true.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class MigrateAndExitTests
{
    private static async Task<(int ExitCode, string Output)> RunApiAsync(string work, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { RepoPaths.HostDll("Api", "Platform.Api"), "--urls", $"http://127.0.0.1:{HostProcess.FreePort()}" },
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (k, v) in environment)
        {
            start.Environment[k] = v;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the API did not exit after migrating:\n" + await stdout + await stderr);
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    [Test]
    public async Task Should_migrate_the_schema_and_exit_zero()
    {
        var work = Directory.CreateTempSubdirectory("platform-migrate-").FullName;
        try
        {
            var (code, output) = await RunApiAsync(work, new() { ["Hosting__MigrateAndExit"] = "true", ["Scheduler__Enabled"] = "false" });
            Assert.That(code, Is.EqualTo(0), output);
            await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(work, "data", "platform.db")}");
            await db.OpenAsync();
            await using var count = db.CreateCommand();
            count.CommandText = "SELECT count(*) FROM schema_migrations";
            Assert.That((long)(await count.ExecuteScalarAsync())!, Is.GreaterThan(0));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            TestFolders.Delete(work);
        }
    }

    [Test]
    public async Task Should_exit_non_zero_when_the_database_cannot_be_migrated()
    {
        var work = Directory.CreateTempSubdirectory("platform-migrate-").FullName;
        try
        {
            var (code, output) = await RunApiAsync(work, new()
            {
                ["Hosting__MigrateAndExit"] = "true",
                ["Scheduler__Enabled"] = "false",
                ["Database__Provider"] = "PostgreSql",
                ["Database__ConnectionString"] = $"Host=127.0.0.1;Port={HostProcess.FreePort()};Username=nobody;Timeout=3",
            });
            Assert.That(code, Is.Not.EqualTo(0), output);
        }
        finally
        {
            TestFolders.Delete(work);
        }
    }
}

/// <summary>The grace the chart gives workers only helps if the host waits that long for in-flight jobs.</summary>
[TestFixture]
public sealed class ShutdownTimeoutTests
{
    [Test]
    public void Should_wait_for_in_flight_work_as_long_as_Jobs_ShutdownGracePeriod_says()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateBuilder();
        builder.Configuration["Jobs:ShutdownGracePeriod"] = "00:05:00";
        Platform.Jobs.JobEngineExtensions.AddJobEngine(builder);
        using var app = builder.Build();
        var options = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.Extensions.Hosting.HostOptions>>(app.Services);
        Assert.That(options.Value.ShutdownTimeout, Is.GreaterThan(TimeSpan.FromMinutes(5)));
    }
}

/// <summary>OTLP export, received by a stand-in collector (an HTTP listener taking OTLP/HTTP protobuf posts).</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class OtlpExportTests
{
    [Test]
    public async Task Should_export_the_request_and_job_traces_to_the_configured_collector()
    {
        var port = HostProcess.FreePort();
        using var collector = new System.Net.HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var received = new System.Collections.Concurrent.ConcurrentQueue<(string Path, byte[] Body)>();
        using var stop = new CancellationTokenSource();
        var listening = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var context = await collector.GetContextAsync().WaitAsync(stop.Token);
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                received.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });

        var work = Directory.CreateTempSubdirectory("platform-otlp-").FullName;
        try
        {
            await using var api = await HostProcess.StartAsync(HostProcess.Standalone, new Dictionary<string, string>
            {
                ["Telemetry__OtlpEndpoint"] = $"http://127.0.0.1:{port}",
                ["Telemetry__OtlpProtocol"] = "http/protobuf",
            }, work);
            var client = new PlatformClient(new HttpClient { BaseAddress = api.BaseAddress });
            await client.WaitForSuccessAsync((await client.UploadTextAsync("guide.md", Samples.OperationsGuide)).GetGuid("jobId"));

            // The batch processor exports every 5 s.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            string spans = "";
            while (DateTime.UtcNow < deadline)
            {
                spans = string.Concat(received.Where(r => r.Path == "/v1/traces").Select(r => System.Text.Encoding.UTF8.GetString(r.Body)));
                if (spans.Contains("parse-document", StringComparison.Ordinal) && spans.Contains("POST /api/v1/documents", StringComparison.Ordinal))
                {
                    break;
                }
                await Task.Delay(500);
            }
            Assert.That(spans, Does.Contain("Platform.Standalone"), "service.name on the exported resource");
            Assert.That(spans, Does.Contain("POST /api/v1/documents"), "the upload request's span, named by RequestSpanTags");
            Assert.That(spans, Does.Contain("parse-document"), "MassTransit's send/consume spans of the job");
        }
        finally
        {
            await stop.CancelAsync();
            collector.Stop();
            try
            {
                await listening;
            }
            catch (Exception)
            {
                // the listener ends by cancellation or by Stop()
            }
            TestFolders.Delete(work);
        }
    }
}
