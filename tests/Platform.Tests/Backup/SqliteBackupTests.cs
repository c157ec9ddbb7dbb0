using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Platform.Data;
using Platform.Jobs;
using Platform.Workers.Backup.Restore;

namespace Platform.Tests.Backup;

/// <summary>Embedded mode: SQLite's online backup, verified by restoring it to a scratch file, and restored by the operator command.</summary>
[TestFixture]
[Category("Integration")]
public sealed class SqliteBackupTests
{
    [Test]
    public async Task Should_back_up_verify_detect_tampering_and_restore_on_sqlite()
    {
        var work = Directory.CreateTempSubdirectory("platform-sqlite-backup-").FullName;
        try
        {
            await using (var host = await BackupWorkerHost.StartAsync("Sqlite", $"Data Source={Path.Combine(work, "platform.db")}", Path.Combine(work, "blobs")))
            {
                var backups = host.Services.GetRequiredService<BackupStore>();
                var good = (await backups.GetByJobAsync((await host.RunAsync(JobTypes.Backup)).Id))!;
                var verify = await host.RunAsync(JobTypes.BackupVerify, new VerifyInput(good.Id));
                Assert.That(verify.Status, Is.EqualTo(JobStatus.Succeeded), verify.ErrorMessage);

                var target = Path.Combine(work, "restored.db");
                var log = new StringWriter();
                var exit = await host.Services.GetRequiredService<BackupRestorer>().RestoreAsync(good.Id, target, false, log, CancellationToken.None);
                Assert.That(exit, Is.EqualTo(RestoreExit.Restored), log.ToString());
                await using (var c = new SqliteConnection($"Data Source={target};Mode=ReadOnly;Pooling=False"))
                {
                    await c.OpenAsync();
                    await using var count = c.CreateCommand();
                    count.CommandText = "SELECT count(*) FROM jobs";
                    Assert.That((long)(await count.ExecuteScalarAsync())!, Is.GreaterThan(0));
                }
                Assert.That(await host.Services.GetRequiredService<BackupRestorer>().RestoreAsync(good.Id, target, false, log, CancellationToken.None),
                    Is.EqualTo(RestoreExit.TargetNotEmpty));

                var file = Path.Combine(work, "blobs", good.BlobKey);
                var bytes = await File.ReadAllBytesAsync(file);
                bytes[bytes.Length / 2] ^= 0xFF;
                await File.WriteAllBytesAsync(file, bytes);
                var tampered = await host.RunAsync(JobTypes.BackupVerify, new VerifyInput(good.Id));
                Assert.That((tampered.Status, tampered.ErrorCode), Is.EqualTo((JobStatus.Failed, ReasonCodes.VerificationFailed)));
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TestFolders.Delete(work);
        }
    }
}
