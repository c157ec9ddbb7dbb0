using Microsoft.Extensions.DependencyInjection;
using Platform.Data;
using Platform.Jobs;
using Platform.Tests.Support;

namespace Platform.Tests.Backup;

/// <summary>The primary and the off-site store each keep what their own rules say; a record goes when no copy is left.</summary>
[TestFixture]
[Category("Integration")]
public sealed class OffsiteRetentionTests
{
    [Test]
    public async Task Should_apply_each_stores_own_retention_and_delete_records_only_when_no_copy_is_left()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var work = Directory.CreateTempSubdirectory("platform-offsite-").FullName;
        try
        {
            var local = Path.Combine(work, "local");
            var offsite = Path.Combine(work, "offsite");
            await using var host = await BackupWorkerHost.StartAsync("PostgreSql", database.ConnectionString, local, new Dictionary<string, string?>
            {
                ["Backup:Retention:KeepLast"] = "1", ["Backup:Retention:MaxAgeDays"] = "0",
                ["Backup:Offsite:Provider"] = "Local", ["Backup:Offsite:Root"] = offsite,
                ["Backup:Offsite:Retention:KeepLast"] = "2", ["Backup:Offsite:Retention:KeepDaily"] = "0", ["Backup:Offsite:Retention:MaxAgeDays"] = "0",
            });
            var store = host.Services.GetRequiredService<BackupStore>();
            var made = new List<Platform.Data.Backup>();
            for (var i = 0; i < 3; i++)
            {
                var job = await host.RunAsync(JobTypes.Backup);
                Assert.That(job.Status, Is.EqualTo(JobStatus.Succeeded), job.ErrorMessage);
                made.Add((await store.GetByJobAsync(job.Id))!);
            }

            var dryRun = await host.RunAsync(JobTypes.BackupRetention, new RetentionInput(true));
            Assert.That(dryRun.Status, Is.EqualTo(JobStatus.Succeeded));
            Assert.That(Files(local), Has.Length.EqualTo(3), "a dry run deletes nothing");

            var applied = await host.RunAsync(JobTypes.BackupRetention, new RetentionInput(false));
            Assert.That(applied.Status, Is.EqualTo(JobStatus.Succeeded), applied.ErrorMessage);

            Assert.That(Files(local), Is.EquivalentTo(new[] { made[2].BlobKey }));
            Assert.That(Files(offsite), Is.EquivalentTo(new[] { made[1].BlobKey, made[2].BlobKey }));
            var left = await store.ListAsync();
            Assert.That(left.Select(b => b.Id), Is.EquivalentTo(new[] { made[1].Id, made[2].Id }), "the oldest has no copy left");
            var middle = left.Single(b => b.Id == made[1].Id);
            Assert.That((middle.HasLocalCopy, middle.OffsiteAt is not null), Is.EqualTo((false, true)));
        }
        finally
        {
            TestFolders.Delete(work);
        }
    }

    private static string[] Files(string root) =>
        Directory.GetFiles(Path.Combine(root, "backups")).Select(f => "backups/" + Path.GetFileName(f)).ToArray();
}
