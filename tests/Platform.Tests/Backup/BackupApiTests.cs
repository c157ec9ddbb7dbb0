using System.Net;
using Platform.Tests.Support;

namespace Platform.Tests.Backup;

/// <summary>The backup API on the API process (PostgreSQL, workers in process): start, verify, list, dry-run retention.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class BackupApiTests
{
    [Test]
    public async Task Should_start_a_backup_verify_it_list_it_with_its_manifest_and_dry_run_retention()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var work = Directory.CreateTempSubdirectory("platform-backup-api-").FullName;
        try
        {
            await using var api = await HostProcess.StartAsync(HostProcess.Standalone, new Dictionary<string, string>
            {
                ["Database__Provider"] = "PostgreSql", ["Database__ConnectionString"] = database.ConnectionString,
                ["Blobs__Root"] = Path.Combine(work, "blobs"), ["Scheduler__Enabled"] = "false",
            }, work);
            var client = new PlatformClient(new HttpClient { BaseAddress = api.BaseAddress });

            var started = await client.PostJsonAsync("api/v1/backups", new { });
            var manifest = (await client.WaitForSuccessAsync(started.GetGuid("jobId"))).GetProperty("result");
            var backupId = manifest.GetGuid("backupId");

            var verify = await client.PostJsonAsync($"api/v1/backups/{backupId}/verify", new { });
            await client.WaitForSuccessAsync(verify.GetGuid("jobId"));
            await client.PostJsonAsync($"api/v1/backups/{Guid.NewGuid()}/verify", new { }, HttpStatusCode.NotFound);

            var listed = (await client.GetJsonAsync("api/v1/backups"))[0];
            Assert.That(listed.GetGuid("id"), Is.EqualTo(backupId));
            Assert.That(listed.GetProperty("verification").GetProperty("status").GetString(), Is.EqualTo("passed"));
            Assert.That(listed.GetProperty("manifest").GetProperty("tableRowCounts").GetProperty("public.jobs").GetInt64(), Is.GreaterThan(0));

            var dryRun = await client.PostJsonAsync("api/v1/backups/retention", new { dryRun = true });
            var result = (await client.WaitForSuccessAsync(dryRun.GetGuid("jobId"))).GetProperty("result");
            Assert.That(result.GetProperty("dryRun").GetBoolean(), Is.True);
            Assert.That(result.GetProperty("local").GetProperty("kept")[0].GetProperty("id").GetGuid(), Is.EqualTo(backupId));
        }
        finally
        {
            TestFolders.Delete(work);
        }
    }
}
