using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Jobs;
using Platform.ServiceDefaults;
using Platform.Tests.Support;

namespace Platform.Tests.Dashboard;

/// <summary>
/// The dashboard's JSON API in the deployed shape: API and workers as processes on real RabbitMQ (own vhost) and
/// PostgreSQL. Queue figures and "move back" go through the RabbitMQ management API; workers report heartbeats.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class DashboardDistributedTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60); // upper bound for polling, not a timing under test

    private DistributedEnvironment _environment = null!;
    private RabbitVhost _vhost = null!;
    private string _work = null!;
    private HostProcess _api = null!;
    private HttpClient _dashboard = null!;
    private HttpClient _rabbit = null!;
    private Db _db = null!;
    private readonly List<HostProcess> _workers = [];

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _environment = await DistributedEnvironment.CreateAsync("dashboard");
        (_vhost, _work) = (_environment.Vhost, _environment.WorkDirectory);
        _api = await HostProcess.StartAsync(HostProcess.Api, Environment(), _work);
        _dashboard = await OpsUser.LogInAsync(_api.BaseAddress, new CookieContainer());
        _dashboard.DefaultRequestHeaders.Add("X-Dashboard", "1");
        _rabbit = new HttpClient { BaseAddress = TestServices.RabbitMqManagement };
        _rabbit.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("guest:guest"u8.ToArray()));
        _db = new Db(Options.Create(new DatabaseOptions { Provider = "PostgreSql", ConnectionString = _environment.Database.ConnectionString }));
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }
        await _api.DisposeAsync();
        await _db.DisposeAsync();
        _dashboard.Dispose();
        _rabbit.Dispose();
        await _environment.DisposeAsync();
    }

    private Dictionary<string, string> Environment() => _environment.Settings(OpsUser.Settings());

    [Test, Order(1)]
    public async Task Should_move_an_error_message_back_to_its_queue_so_a_worker_completes_its_job()
    {
        var jobs = new JobStore(_db, TimeProvider.System);
        var job = await jobs.CreateAsync("default", JobTypes.Answer, Json.Serialize(new AnswerInput("What does the guide say?", null)));
        await jobs.TryStartAsync(job.Id);
        await jobs.FailAsync(job.Id, ReasonCodes.RetriesExhausted, "HttpRequestException: model endpoint did not answer");
        await PutInErrorQueueAsync("generate-answer", job);

        var queue = await WaitForQueueAsync("generate-answer", q => q.GetProperty("error").GetProperty("depth").GetInt64() == 1);
        Assert.That(queue.GetProperty("error").GetProperty("name").GetString(), Is.EqualTo("generate-answer_error"));

        var moved = await PostAsync("dashboard/api/queues/generate-answer/move-errors");

        Assert.That(moved.GetProperty("moved").GetInt32(), Is.EqualTo(1));
        Assert.That(moved.GetProperty("jobsRequeued").GetInt32(), Is.EqualTo(1));
        Assert.That(await _vhost.WaitForReadyMessagesAsync("generate-answer", 1, Patience), Is.EqualTo(1));
        Assert.That(await _vhost.ReadyMessagesAsync("generate-answer_error"), Is.Zero);
        var requeued = await jobs.GetAsync(job.Id);
        Assert.That((requeued!.Status, requeued.ErrorCode, requeued.Attempts), Is.EqualTo((JobStatus.Queued, (string?)null, 1)));

        _workers.Add(await HostProcess.StartAsync(HostProcess.Ai, Environment(), _work));
        var done = await WaitForAsync(async () => await jobs.GetAsync(job.Id) is { IsFinished: true } j ? (true, j) : (false, null!));
        Assert.That(done.Status, Is.EqualTo(JobStatus.Succeeded), done.ErrorMessage);
        Assert.That(done.Attempts, Is.EqualTo(2));
    }

    [Test, Order(2)]
    public async Task Should_count_finished_jobs_and_filter_the_job_list_on_postgresql()
    {
        var overview = await GetAsync("dashboard/api/overview");
        Assert.That(overview.GetProperty("byType").GetProperty("answer").GetProperty("succeeded").GetInt64(), Is.EqualTo(1));
        Assert.That(overview.GetProperty("lastHour").GetProperty("succeeded").EnumerateArray().Sum(e => e.GetInt64()), Is.EqualTo(1));
        Assert.That(overview.GetProperty("lastHour").GetProperty("succeeded").GetArrayLength(), Is.EqualTo(60));
        Assert.That(overview.GetProperty("last24Hours").GetProperty("succeeded").GetArrayLength(), Is.EqualTo(24 * 60));

        var all = await GetAsync("dashboard/api/jobs?status=succeeded&type=answer&tenant=default");
        var since = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"));
        var recent = await GetAsync($"dashboard/api/jobs?type=answer&from={since}");
        var future = await GetAsync($"dashboard/api/jobs?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}");
        var otherTenant = await GetAsync("dashboard/api/jobs?tenant=someone-else");

        Assert.That(all.GetProperty("total").GetInt64(), Is.EqualTo(1));
        Assert.That(recent.GetProperty("total").GetInt64(), Is.EqualTo(1));
        Assert.That(future.GetProperty("total").GetInt64(), Is.Zero);
        Assert.That(otherTenant.GetProperty("total").GetInt64(), Is.Zero);
    }

    [Test, Order(3)]
    public async Task Should_show_a_worker_that_stopped_beating_as_lost()
    {
        var ingest = await HostProcess.StartAsync(HostProcess.Ingest, Environment(), _work);
        _workers.Add(ingest);
        // The first beat may come before the bus has started its receive endpoints; a later one lists them.
        var alive = await WaitForWorkerAsync(ingest.Pid, "alive",
            w => w.GetProperty("consumers").EnumerateArray().Any(c => c.GetString() == "parse-document"));
        Assert.That(alive.GetProperty("role").GetString(), Is.EqualTo("Platform.Workers.Ingest"));
        var queue = await WaitForQueueAsync("parse-document", q => q.GetProperty("consumers").GetInt32() >= 1);
        Assert.That(queue.GetProperty("exists").GetBoolean(), Is.True);

        ingest.Kill();

        var lost = await WaitForWorkerAsync(ingest.Pid, "lost");
        Assert.That(lost.GetProperty("stoppedAt").ValueKind, Is.EqualTo(JsonValueKind.Null), "a killed process records no clean stop");
        await WaitForWorkerAsync(_api.Pid, "alive");
    }

    [Test, Order(4)]
    public async Task Should_refuse_every_dashboard_api_call_without_a_login()
    {
        using var anonymous = new HttpClient { BaseAddress = _api.BaseAddress };
        foreach (var path in new[] { "overview", "jobs", "workers", "queues", "backups" })
        {
            Assert.That((await anonymous.GetAsync($"dashboard/api/{path}")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), path);
        }
        foreach (var path in new[] { "hangfire", "hangfire/recurring", "hangfire/stats" })
        {
            Assert.That((await anonymous.GetAsync(path)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), path);
        }
        var move = new HttpRequestMessage(HttpMethod.Post, "dashboard/api/queues/parse-document/move-errors") { Headers = { { "X-Dashboard", "1" } } };
        Assert.That((await anonymous.SendAsync(move)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    /// <summary>What MassTransit leaves in an error queue: the envelope of the command, with fault headers.</summary>
    private async Task PutInErrorQueueAsync(string queue, Job job)
    {
        var vhost = Uri.EscapeDataString(_vhost.Name);
        foreach (var name in new[] { queue, queue + "_error" })
        {
            (await _rabbit.PutAsJsonAsync($"api/queues/{vhost}/{name}", new { durable = true, auto_delete = false })).EnsureSuccessStatusCode();
        }
        var envelope = JsonSerializer.Serialize(new
        {
            messageId = Guid.NewGuid(), destinationAddress = $"rabbitmq://localhost/{_vhost.Name}/{queue}",
            messageType = new[] { "urn:message:Platform.Messages:GenerateAnswer" },
            message = new { jobId = job.Id, tenantId = job.TenantId, question = "What does the guide say?", correlationId = job.CorrelationId },
            sentTime = DateTimeOffset.UtcNow,
        });
        var published = await _rabbit.PostAsJsonAsync($"api/exchanges/{vhost}/amq.default/publish", new
        {
            properties = new
            {
                content_type = "application/vnd.masstransit+json", delivery_mode = 2,
                headers = new Dictionary<string, string> { ["MT-Reason"] = "fault", ["MT-Fault-ExceptionType"] = "System.Net.Http.HttpRequestException" },
            },
            routing_key = queue + "_error", payload = envelope, payload_encoding = "string",
        });
        var body = await published.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(body.GetProperty("routed").GetBoolean(), Is.True);
    }

    private async Task<JsonElement> WaitForQueueAsync(string name, Func<JsonElement, bool> condition) =>
        await WaitForAsync(async () =>
        {
            var queues = await GetAsync("dashboard/api/queues");
            Assert.That(queues.GetProperty("source").GetString(), Is.EqualTo("rabbitmq"));
            var queue = queues.GetProperty("queues").EnumerateArray().Single(q => q.GetProperty("name").GetString() == name);
            return (condition(queue), queue);
        });

    private async Task<JsonElement> WaitForWorkerAsync(int pid, string state, Func<JsonElement, bool>? also = null) =>
        await WaitForAsync(async () =>
        {
            var workers = await GetAsync("dashboard/api/workers");
            var match = workers.EnumerateArray().Where(w => w.GetProperty("pid").GetInt32() == pid && w.GetProperty("state").GetString() == state && (also is null || also(w))).ToList();
            return (match.Count > 0, match.FirstOrDefault());
        });

    /// <summary>Polls until the probe reports done (bounded by <see cref="Patience"/>).</summary>
    private static async Task<T> WaitForAsync<T>(Func<Task<(bool Done, T Value)>> probe)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var (done, value) = await probe();
            if (done)
            {
                return value;
            }
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "condition not reached");
            await Task.Delay(500);
        }
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        var response = await _dashboard.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{path}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<JsonElement> PostAsync(string path)
    {
        var response = await _dashboard.PostAsync(path, null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{path}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
