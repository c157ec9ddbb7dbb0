using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Jobs;
using Platform.Tests.Support;
using Platform.Workers.Backup;
using Platform.Workers.Backup.Dumps;

namespace Platform.Tests.Backup;

/// <summary>A backup that cannot be made fails with a reason, leaves no partial file, and is counted.</summary>
[TestFixture]
[Category("Integration")]
public sealed class BackupFailureTests
{
    private PostgresDatabase _database = null!;
    private string _work = null!;

    [OneTimeSetUp]
    public async Task CreateDatabase()
    {
        _database = await PostgresDatabase.CreateAsync();
        _work = Directory.CreateTempSubdirectory("platform-backup-fail-").FullName;
    }

    [OneTimeTearDown]
    public async Task DropDatabase()
    {
        await _database.DisposeAsync();
        TestFolders.Delete(_work);
    }

    [Test]
    public async Task Should_fail_with_tool_missing_when_pg_dump_is_not_installed_and_count_it()
    {
        var failures = new List<string>();
        using var listener = ListenForFailures(failures);
        var blobs = Path.Combine(_work, "missing");
        await using var host = await BackupWorkerHost.StartAsync("PostgreSql", _database.ConnectionString, blobs,
            new Dictionary<string, string?> { ["Backup:PgDumpPath"] = "/nonexistent/pg_dump" });

        var job = await host.RunAsync(JobTypes.Backup);

        Assert.That((job.Status, job.ErrorCode), Is.EqualTo((JobStatus.Failed, ReasonCodes.ToolMissing)));
        Assert.That((await host.Services.GetRequiredService<BackupStore>().GetByJobAsync(job.Id))!.Status, Is.EqualTo(BackupStatus.Failed));
        Assert.That(FilesUnder(blobs), Is.Empty);
        listener.RecordObservableInstruments();
        Assert.That(failures, Does.Contain(ReasonCodes.ToolMissing));
    }

    [Test]
    public async Task Should_remove_the_partial_file_when_pg_dump_fails_midway()
    {
        var script = Path.Combine(_work, "failing_pg_dump.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\nprintf 'PGDMP-some-bytes-of-a-dump'\necho 'pg_dump: error: simulated failure' >&2\nexit 1\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var blobs = Path.Combine(_work, "midway");
        await using var host = await BackupWorkerHost.StartAsync("PostgreSql", _database.ConnectionString, blobs,
            new Dictionary<string, string?> { ["Backup:PgDumpPath"] = script });

        var job = await host.RunAsync(JobTypes.Backup);

        Assert.That((job.Status, job.ErrorCode), Is.EqualTo((JobStatus.Failed, ReasonCodes.BackupFailed)));
        Assert.That(job.ErrorMessage, Does.Contain("simulated failure"));
        Assert.That(FilesUnder(blobs), Is.Empty, "no partial dump is left");
    }

    [Test]
    public async Task Should_fail_with_store_unavailable_when_the_store_cannot_be_reached()
    {
        var closedPort = HostProcess.FreePort();
        await using var host = await BackupWorkerHost.StartAsync("PostgreSql", _database.ConnectionString, Path.Combine(_work, "s3"),
            new Dictionary<string, string?>
            {
                ["Blobs:Provider"] = "S3", ["Blobs:S3:ServiceUrl"] = $"http://127.0.0.1:{closedPort}", ["Blobs:S3:Bucket"] = "backups",
                ["Blobs:S3:AccessKey"] = "x", ["Blobs:S3:SecretKey"] = "y",
            });

        var job = await host.RunAsync(JobTypes.Backup);

        Assert.That((job.Status, job.ErrorCode), Is.EqualTo((JobStatus.Failed, ReasonCodes.StoreUnavailable)));
    }

    [Test]
    public async Task Should_tell_a_missing_database_from_a_server_that_is_down()
    {
        var missing = new Npgsql.NpgsqlConnectionStringBuilder(_database.ConnectionString) { Database = "no_such_database_" + Guid.NewGuid().ToString("N") };
        var down = new Npgsql.NpgsqlConnectionStringBuilder(_database.ConnectionString) { Port = HostProcess.FreePort() };

        var refused = await FailureOf(missing.ConnectionString);
        var unreachable = await FailureOf(down.ConnectionString);

        Assert.That((refused.ReasonCode, refused.Permanent), Is.EqualTo((ReasonCodes.DatabaseUnavailable, true)));
        Assert.That((unreachable.ReasonCode, unreachable.Permanent), Is.EqualTo((ReasonCodes.DatabaseUnavailable, false)));
    }

    private static async Task<JobFailureException> FailureOf(string connectionString)
    {
        await using var db = new Db(Options.Create(new DatabaseOptions { Provider = "PostgreSql", ConnectionString = connectionString }));
        try
        {
            await PgTools.OpenAsync(db, CancellationToken.None);
        }
        catch (JobFailureException ex)
        {
            return ex;
        }
        throw new AssertionException("The connection opened.");
    }

    private static string[] FilesUnder(string root) =>
        Directory.Exists(Path.Combine(root, "backups")) ? Directory.GetFiles(Path.Combine(root, "backups"), "*", SearchOption.AllDirectories) : [];

    private static MeterListener ListenForFailures(List<string> reasons)
    {
        var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == BackupMetrics.MeterName && instrument.Name == "platform.backup.failures")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "reason")
                {
                    lock (reasons)
                    {
                        reasons.Add((string)tag.Value!);
                    }
                }
            }
        });
        listener.Start();
        return listener;
    }
}
