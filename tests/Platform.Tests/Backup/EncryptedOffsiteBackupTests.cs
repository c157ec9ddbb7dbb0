using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Platform.Blobs;
using Platform.Data;
using Platform.Jobs;
using Platform.Tests.Support;

namespace Platform.Tests.Backup;

/// <summary>An encrypted backup copied off-site to an S3-compatible store (s3rver) verifies, from either copy.</summary>
[TestFixture]
[Category("Integration")]
public sealed class EncryptedOffsiteBackupTests
{
    private PostgresDatabase _database = null!;
    private S3rverProcess _s3 = null!;
    private string _blobs = null!;
    private BackupWorkerHost _host = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _database = await PostgresDatabase.CreateAsync();
        _s3 = await S3rverProcess.StartAsync();
        _blobs = Directory.CreateTempSubdirectory("platform-backup-enc-").FullName;
        var s3 = _s3.Options(prefix: "offsite/");
        _host = await BackupWorkerHost.StartAsync("PostgreSql", _database.ConnectionString, _blobs, new Dictionary<string, string?>
        {
            ["Backup:EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Backup:Offsite:Provider"] = "S3", ["Backup:Offsite:S3:ServiceUrl"] = s3.ServiceUrl, ["Backup:Offsite:S3:Bucket"] = s3.Bucket,
            ["Backup:Offsite:S3:AccessKey"] = s3.AccessKey, ["Backup:Offsite:S3:SecretKey"] = s3.SecretKey, ["Backup:Offsite:S3:Prefix"] = s3.Prefix,
        });
        await SampleData.FillEveryTableAsync(_database.ConnectionString);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _host.DisposeAsync();
        await _s3.DisposeAsync();
        await _database.DisposeAsync();
        TestFolders.Delete(_blobs);
    }

    [Test]
    public async Task Should_encrypt_copy_off_site_and_verify_from_the_off_site_copy_when_the_local_one_is_gone()
    {
        var job = await _host.RunAsync(JobTypes.Backup);
        Assert.That(job.Status, Is.EqualTo(JobStatus.Succeeded), job.ErrorMessage);
        var backups = _host.Services.GetRequiredService<BackupStore>();
        var backup = (await backups.GetByJobAsync(job.Id))!;

        var local = await File.ReadAllBytesAsync(Path.Combine(_blobs, backup.BlobKey));
        Assert.That((backup.Encrypted, backup.OffsiteAt is not null), Is.EqualTo((true, true)));
        Assert.That(local.AsSpan(0, 8).ToArray(), Is.EqualTo("PLTBKENC"u8.ToArray()), "stored encrypted");
        using (var offsite = new S3BlobStore(_s3.Options(prefix: "offsite/")))
        await using (var copy = await offsite.OpenReadAsync(backup.BlobKey))
        {
            var buffer = new MemoryStream();
            await copy.CopyToAsync(buffer);
            Assert.That(buffer.ToArray(), Is.EqualTo(local), "the off-site copy is the same file");
        }

        File.Delete(Path.Combine(_blobs, backup.BlobKey));
        await backups.MarkLocalDeletedAsync(backup.Id);
        var verify = await _host.RunAsync(JobTypes.BackupVerify, new VerifyInput(backup.Id));

        Assert.That(verify.Status, Is.EqualTo(JobStatus.Succeeded), verify.ErrorMessage);
        Assert.That(verify.Result, Does.Contain("\"source\":\"offsite\""));
    }
}
