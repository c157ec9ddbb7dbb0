using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Platform.Data;
using Platform.Jobs;
using Platform.ServiceDefaults;
using Platform.Tests.Support;
using Platform.Workers.Backup;
using Platform.Workers.Backup.Restore;
using BackupRow = Platform.Data.Backup;

namespace Platform.Tests.Backup;

/// <summary>Real pg_dump → local store → verification in a scratch database → restore, on PostgreSQL with data in every table.</summary>
[TestFixture]
[Category("Integration")]
public sealed class BackupRoundTripTests
{
    private PostgresDatabase _database = null!;
    private string _blobs = null!;
    private BackupWorkerHost _host = null!;

    [OneTimeSetUp]
    public async Task StartWorker()
    {
        _database = await PostgresDatabase.CreateAsync();
        _blobs = Directory.CreateTempSubdirectory("platform-backup-blobs-").FullName;
        _host = await BackupWorkerHost.StartAsync("PostgreSql", _database.ConnectionString, _blobs);
        await SampleData.FillEveryTableAsync(_database.ConnectionString);
    }

    [OneTimeTearDown]
    public async Task StopWorker()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
        TestFolders.Delete(_blobs);
    }

    [Test]
    public async Task Should_back_up_verify_and_restore_a_database_with_data_in_every_table()
    {
        var backup = await BackUpAsync();
        var manifest = JsonSerializer.Deserialize<BackupManifest>(backup.Manifest!, Json.Options)!;
        Assert.That(manifest.TableRowCounts.Keys, Does.Contain("public.chunks").And.Contain("public.data_protection_keys"));
        Assert.That(manifest.TableRowCounts.Where(t => t.Value == 0).Select(t => t.Key), Is.Empty, "every table has rows");

        var verify = await _host.RunAsync(JobTypes.BackupVerify, new VerifyInput(backup.Id));
        Assert.That(verify.Status, Is.EqualTo(JobStatus.Succeeded), verify.ErrorMessage);
        var verified = (await Backups.GetAsync(backup.Id))!;
        Assert.That((verified.VerifyStatus, verified.VerifiedAt is not null, verified.RestoreMs is not null, verified.VerifyError),
            Is.EqualTo((VerifyStatus.Passed, true, true, (string?)null)));
        Assert.That(await ScratchDatabasesAsync(backup.Id), Is.Empty, "the scratch database is dropped");

        var target = $"restored_{Guid.NewGuid():N}";
        try
        {
            var (exit, output) = await RestoreCliAsync(backup.Id, target);
            Assert.That(exit, Is.EqualTo(RestoreExit.Restored), output);
            var restored = await SampleData.CountRowsAsync(new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Database = target }.ConnectionString);
            Assert.That(restored, Is.EquivalentTo(manifest.TableRowCounts));

            (exit, output) = await RestoreCliAsync(backup.Id, target);
            Assert.That(exit, Is.EqualTo(RestoreExit.TargetNotEmpty), output);
            Assert.That(output, Does.Contain("--force"));

            (exit, output) = await RestoreCliAsync(backup.Id, target, "--force");
            Assert.That(exit, Is.EqualTo(RestoreExit.Restored), output);
        }
        finally
        {
            await DropAsync(target);
        }
    }

    [TestCase("tampered")]
    [TestCase("truncated")]
    public async Task Should_detect_a_damaged_backup_when_verifying(string damage)
    {
        var backup = await BackUpAsync();
        Damage(backup, damage);

        var verify = await _host.RunAsync(JobTypes.BackupVerify, new VerifyInput(backup.Id));

        Assert.That((verify.Status, verify.ErrorCode), Is.EqualTo((JobStatus.Failed, ReasonCodes.VerificationFailed)));
        var recorded = (await Backups.GetAsync(backup.Id))!;
        Assert.That(recorded.VerifyStatus, Is.EqualTo(VerifyStatus.Failed));
        Assert.That(recorded.VerifyError, Does.StartWith("Checksum mismatch"));
        Assert.That(await ScratchDatabasesAsync(backup.Id), Is.Empty);
    }

    [Test]
    public async Task Should_refuse_to_restore_a_tampered_backup_and_leave_the_target_alone()
    {
        var backup = await BackUpAsync();
        Damage(backup, "tampered");
        var target = $"restored_{Guid.NewGuid():N}";
        var log = new StringWriter();

        var exit = await _host.Services.GetRequiredService<BackupRestorer>().RestoreAsync(backup.Id, target, force: false, log, CancellationToken.None);

        Assert.That(exit, Is.EqualTo(RestoreExit.Corrupt), log.ToString());
        await using var admin = new NpgsqlConnection(TestServices.PostgresAdmin);
        Assert.That(await admin.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = @target)", new { target }), Is.False);
    }

    [Test]
    public async Task Should_not_start_a_second_backup_while_another_holds_the_lock()
    {
        await using (var held = await _host.Services.GetRequiredService<BackupLock>().TryAcquireAsync(CancellationToken.None))
        {
            Assert.That(held, Is.Not.Null);
            var job = await _host.RunAsync(JobTypes.Backup);
            Assert.That((job.Status, job.ErrorCode), Is.EqualTo((JobStatus.Failed, ReasonCodes.BackupInProgress)));
            Assert.That(await Backups.GetByJobAsync(job.Id), Is.Null, "no backup was started");
        }
        Assert.That((await _host.RunAsync(JobTypes.Backup)).Status, Is.EqualTo(JobStatus.Succeeded), "the lock is released afterwards");
    }

    private BackupStore Backups => _host.Services.GetRequiredService<BackupStore>();

    private async Task<BackupRow> BackUpAsync()
    {
        var job = await _host.RunAsync(JobTypes.Backup);
        Assert.That(job.Status, Is.EqualTo(JobStatus.Succeeded), job.ErrorMessage);
        return (await Backups.GetByJobAsync(job.Id))!;
    }

    private void Damage(BackupRow backup, string damage)
    {
        var file = Path.Combine(_blobs, backup.BlobKey);
        var bytes = File.ReadAllBytes(file);
        if (damage == "tampered")
        {
            bytes[bytes.Length / 2] ^= 0xFF;
            File.WriteAllBytes(file, bytes);
        }
        else
        {
            File.WriteAllBytes(file, bytes[..(bytes.Length / 2)]);
        }
    }

    private async Task<(int Exit, string Output)> RestoreCliAsync(Guid backupId, string target, params string[] extra)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { RepoPaths.HostDll(HostProcess.Backup.Folder, HostProcess.Backup.Assembly), "restore", "--backup", backupId.ToString(),
                "--target-database", target },
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in extra)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["Database__Provider"] = "PostgreSql";
        start.Environment["Database__ConnectionString"] = _database.ConnectionString;
        start.Environment["Blobs__Root"] = _blobs;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    private static async Task<List<string>> ScratchDatabasesAsync(Guid backupId)
    {
        await using var admin = new NpgsqlConnection(TestServices.PostgresAdmin);
        return (await admin.QueryAsync<string>("SELECT datname FROM pg_database WHERE datname LIKE @pattern", new { pattern = $"verify_{backupId:N}%" })).ToList();
    }

    private static async Task DropAsync(string database)
    {
        await using var admin = new NpgsqlConnection(TestServices.PostgresAdmin);
        await admin.ExecuteAsync($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
    }
}
