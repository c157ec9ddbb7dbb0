using System.Diagnostics;
using System.Text.Json;
using Platform.Tests.Support;

namespace Platform.Tests.Reliability;

/// <summary>
/// Jobs end however their worker ends: cancelled on request, handed back on SIGTERM, recovered after kill -9.
/// A backup job is the long-running work: the backup worker's pg_dump is a script that stalls while a marker file
/// exists and otherwise runs the real pg_dump, so each test decides when the work may finish.
/// </summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class JobRecoveryTests
{
    private DistributedEnvironment _environment = null!;
    private string _work = null!;
    private string _marker = null!;
    private HostProcess _api = null!;
    private PlatformClient _client = null!;

    [SetUp]
    public async Task Start()
    {
        _environment = await DistributedEnvironment.CreateAsync("recovery");
        _work = _environment.WorkDirectory;
        _marker = Path.Combine(_work, "stall");
        var script = Path.Combine(_work, "pg_dump");
        await File.WriteAllTextAsync(script, $"#!/bin/sh\nwhile [ -f '{_marker}' ]; do sleep 0.2; done\nexec pg_dump \"$@\"\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _api = await HostProcess.StartAsync(HostProcess.Api, Environment(), _work);
        _client = new PlatformClient(new HttpClient { BaseAddress = _api.BaseAddress });
    }

    [TearDown]
    public async Task Stop()
    {
        await _api.DisposeAsync();
        await _environment.DisposeAsync();
    }

    private Dictionary<string, string> Environment() => _environment.Settings(new Dictionary<string, string>
    {
        ["Backup__PgDumpPath"] = Path.Combine(_work, "pg_dump"),
        ["Jobs__LeaseTimeout"] = "00:00:04",
        ["Jobs__ShutdownGracePeriod"] = "00:00:02",
    });

    private async Task<Guid> StartStalledBackupAsync()
    {
        await File.WriteAllTextAsync(_marker, "");
        var accepted = await _client.PostJsonAsync("api/v1/backups", new { });
        var jobId = accepted.GetProperty("jobId").GetGuid();
        await WaitForStatusAsync(jobId, "running");
        return jobId;
    }

    private async Task<JsonElement> WaitForStatusAsync(Guid jobId, string status, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        JsonElement job;
        do
        {
            job = await _client.GetJsonAsync($"api/v1/jobs/{jobId}");
            if (job.GetProperty("status").GetString() == status)
            {
                return job;
            }
            await Task.Delay(200);
        } while (DateTime.UtcNow < deadline);
        Assert.Fail($"job {jobId} never reached {status}; last: {job}");
        return job;
    }

    [Test]
    public async Task Should_stop_a_running_job_within_seconds_of_a_cancel_and_leave_no_partial_dump()
    {
        await using var worker = await HostProcess.StartAsync(HostProcess.Backup, Environment(), _work);
        var jobId = await StartStalledBackupAsync();

        await _client.PostJsonAsync($"api/v1/jobs/{jobId}/cancel", new { });
        var cancelled = await WaitForStatusAsync(jobId, "cancelled", seconds: 10);

        Assert.That(cancelled.GetProperty("finishedAt").ValueKind, Is.EqualTo(JsonValueKind.String));
        var dumps = Path.Combine(_work, "blobs", "backups");
        Assert.That(Directory.Exists(dumps) ? Directory.GetFiles(dumps) : [], Is.Empty, "the partial dump is removed");
        Assert.That(worker.HasExited, Is.False);
    }

    [Test]
    public async Task Should_hand_a_job_back_on_sigterm_and_finish_it_on_the_next_worker()
    {
        var first = await HostProcess.StartAsync(HostProcess.Backup, Environment(), _work);
        var jobId = await StartStalledBackupAsync();

        using (var term = Process.Start("kill", ["-TERM", first.Pid.ToString()]))
        {
            await term.WaitForExitAsync();
        }
        var exited = await WaitForExitAsync(first, TimeSpan.FromSeconds(20));
        Assert.That(exited, Is.True, "the worker stops within its grace period");
        Assert.That(first.Output, Does.Contain("handed back"));
        await first.DisposeAsync();

        File.Delete(_marker);
        await using var second = await HostProcess.StartAsync(HostProcess.Backup, Environment(), _work);
        var job = await _client.WaitForSuccessAsync(jobId);
        Assert.That(job.GetProperty("attempts").GetInt32(), Is.EqualTo(2));
    }

    [Test]
    public async Task Should_recover_the_job_of_a_killed_worker_and_finish_it_once()
    {
        var first = await HostProcess.StartAsync(HostProcess.Backup, Environment(), _work);
        var jobId = await StartStalledBackupAsync();

        first.Kill(); // SIGKILL: no hand-back, the lease simply stops being renewed
        await first.DisposeAsync();
        File.Delete(_marker);
        await using var second = await HostProcess.StartAsync(HostProcess.Backup, Environment(), _work);

        var job = await _client.WaitForSuccessAsync(jobId, TimeSpan.FromSeconds(60));
        Assert.That(job.GetProperty("attempts").GetInt32(), Is.GreaterThanOrEqualTo(2));
        var backups = await _client.GetJsonAsync("api/v1/backups");
        Assert.That(backups.EnumerateArray().Count(b => b.GetProperty("jobId").GetGuid() == jobId), Is.EqualTo(1), "one backup record per job");
        Assert.That(Directory.GetFiles(Path.Combine(_work, "blobs", "backups"), "*.dump"), Has.Length.EqualTo(1), "one dump file");
    }

    private static async Task<bool> WaitForExitAsync(HostProcess process, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!process.HasExited && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        return process.HasExited;
    }
}
