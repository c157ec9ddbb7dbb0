using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Platform.Tests.Support;

namespace Platform.Tests.EndToEnd;

/// <summary>
/// The deployed shape: the API and the three workers as separate processes on real RabbitMQ and PostgreSQL,
/// sharing a blob directory as they would share a volume.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class DistributedFlowTests
{
    private DistributedEnvironment _environment = null!;
    private readonly List<HostProcess> _hosts = [];

    [OneTimeSetUp]
    public async Task StartServices() => _environment = await DistributedEnvironment.CreateAsync("e2e");

    [OneTimeTearDown]
    public async Task StopServices()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }
        await _environment.DisposeAsync();
    }

    private async Task<HostProcess> StartAsync((string, string) host)
    {
        var process = await _environment.StartAsync(host, new Dictionary<string, string> { ["Bus__RetryInitialDelay"] = "00:00:00.200" });
        _hosts.Add(process);
        return process;
    }

    [Test, Order(1)]
    public async Task Should_wait_in_its_queue_when_no_worker_ever_ran_and_complete_once_workers_start()
    {
        var api = await StartAsync(HostProcess.Api);
        var client = new PlatformClient(new HttpClient { BaseAddress = api.BaseAddress });

        var accepted = await client.UploadTextAsync("guide.md", Samples.OperationsGuide);
        var jobId = accepted.GetGuid("jobId");

        Assert.That(await _environment.Vhost.WaitForReadyMessagesAsync("parse-document", 1, TimeSpan.FromSeconds(20)), Is.EqualTo(1),
            "the command waits in the parse-document queue");
        Assert.That((await client.GetJsonAsync($"api/v1/jobs/{jobId}")).GetProperty("status").GetString(), Is.EqualTo("queued"));

        await StartAsync(HostProcess.Ingest);
        await StartAsync(HostProcess.Ai);
        await StartAsync(HostProcess.Backup);

        var job = await client.WaitForSuccessAsync(jobId);
        Assert.That(job.GetProperty("result").GetProperty("chunkCount").GetInt32(), Is.GreaterThan(0));
        Assert.That(job.GetProperty("attempts").GetInt32(), Is.EqualTo(1));
    }

    [Test, Order(3)]
    public async Task Should_run_a_probe_through_the_broker_and_any_worker_process()
    {
        var client = new PlatformClient(new HttpClient { BaseAddress = _hosts[0].BaseAddress });

        var accepted = await client.PostJsonAsync("api/v1/probes", new { });
        var job = await client.WaitForSuccessAsync(accepted.GetGuid("jobId"));

        Assert.That((job.GetProperty("type").GetString(), job.GetProperty("attempts").GetInt32()), Is.EqualTo(("probe", 1)));
        long? consumers = 0;
        for (var deadline = DateTime.UtcNow.AddSeconds(20); consumers != 3 && DateTime.UtcNow < deadline; await Task.Delay(500))
        {
            consumers = await _environment.Vhost.ConsumersAsync("run-probe"); // the management API's figures lag
        }
        Assert.That(consumers, Is.EqualTo(3), "each of the three worker processes answers probes");
    }

    [Test, Order(2)]
    public async Task Should_ingest_search_answer_and_back_up_across_processes()
    {
        var client = new PlatformClient(new HttpClient { BaseAddress = _hosts[0].BaseAddress });

        var accepted = await client.UploadTextAsync("runbook.md", Samples.OperationsGuide.Replace("seven", "fourteen"));
        var documentId = accepted.GetGuid("documentId");
        await client.WaitForSuccessAsync(accepted.GetGuid("jobId"));

        var document = await client.GetJsonAsync($"api/v1/documents/{documentId}");
        Assert.That(document.GetProperty("status").GetString(), Is.EqualTo("indexed"));

        var search = await client.PostJsonAsync("api/v1/search", new { query = "how many backups does retention keep", documentIds = new[] { documentId } },
            System.Net.HttpStatusCode.OK);
        var top = search.GetProperty("hits")[0];
        Assert.That(top.GetGuid("documentId"), Is.EqualTo(documentId));
        Assert.That(top.GetProperty("headingPath").GetString(), Is.EqualTo("Operations guide > Backups"));
        Assert.That(top.GetProperty("page").GetInt32(), Is.EqualTo(1));

        var asked = await client.PostJsonAsync("api/v1/answers", new { question = "How many backups does retention keep?" });
        await client.WaitForSuccessAsync(asked.GetGuid("jobId"));
        var answer = (await client.GetJsonAsync($"api/v1/answers/{asked.GetGuid("jobId")}")).GetProperty("result");
        Assert.That(answer.GetProperty("found").GetBoolean(), Is.True);
        Assert.That(answer.GetProperty("text").GetString(), Does.Contain("Retention keeps the last"));
        var citedDocuments = answer.GetProperty("citations").EnumerateArray().Select(c => c.GetGuid("documentId")).ToList();
        Assert.That(citedDocuments, Is.Not.Empty);

        var backup = await client.PostJsonAsync("api/v1/backups", new { });
        var backupJob = await client.WaitForSuccessAsync(backup.GetGuid("jobId"));
        var backups = await client.GetJsonAsync("api/v1/backups");
        var record = backups.EnumerateArray().Single(b => b.GetGuid("jobId") == backup.GetGuid("jobId"));
        Assert.That(record.GetProperty("status").GetString(), Is.EqualTo("succeeded"));
        Assert.That(backupJob.GetProperty("result").GetProperty("tableRowCounts").GetProperty("public.chunks").GetInt64(), Is.GreaterThan(0));

        var dump = Directory.GetFiles(Path.Combine(_environment.BlobRoot, "backups"), "*.dump").Single();
        var (exit, listing) = await RunAsync("pg_restore", "--list", dump);
        Assert.That(exit, Is.EqualTo(0), listing);
        Assert.That(listing, Does.Contain("TABLE public jobs").And.Contain("TABLE DATA public chunks"));
        Assert.That(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(dump))),
            Is.EqualTo(record.GetProperty("sha256").GetString()));
    }

    private static async Task<(int Exit, string Output)> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
