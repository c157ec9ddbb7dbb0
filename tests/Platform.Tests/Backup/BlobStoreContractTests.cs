using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Platform.Blobs;
using Platform.Data;
using Platform.Jobs;

namespace Platform.Tests.Backup;

/// <summary>One contract, two stores: the local folder and an S3-compatible bucket (s3rver on loopback) behave the same.</summary>
[TestFixture("Local")]
[TestFixture("S3")]
[Category("Integration")]
public sealed class BlobStoreContractTests(string provider)
{
    private S3rverProcess? _s3;
    private string? _root;
    private IBlobStore _store = null!;

    [OneTimeSetUp]
    public async Task CreateStore()
    {
        if (provider == "S3")
        {
            _s3 = await S3rverProcess.StartAsync();
            _store = new S3BlobStore(_s3.Options(prefix: "contract/"));
        }
        else
        {
            _root = Directory.CreateTempSubdirectory("platform-blobs-").FullName;
            _store = new LocalBlobStore(Options.Create(new BlobOptions { Root = _root }));
        }
    }

    [OneTimeTearDown]
    public async Task DropStore()
    {
        (_store as IDisposable)?.Dispose();
        if (_s3 is not null)
        {
            await _s3.DisposeAsync();
        }
        if (_root is not null)
        {
            TestFolders.Delete(_root);
        }
    }

    [Test]
    public async Task Should_read_back_what_was_put_and_report_its_size()
    {
        var content = RandomNumberGenerator.GetBytes(1000);
        var size = await _store.PutAsync("backups/a.dump", new MemoryStream(content));

        Assert.That(size, Is.EqualTo(1000));
        Assert.That(await ReadAsync("backups/a.dump"), Is.EqualTo(content));
        Assert.That(await _store.ExistsAsync("backups/a.dump"), Is.True);
    }

    [Test]
    public async Task Should_stream_a_blob_larger_than_one_part_from_a_stream_that_cannot_seek()
    {
        var content = RandomNumberGenerator.GetBytes(12 * 1024 * 1024 + 123); // three parts of 5 MiB on S3
        var size = await _store.PutAsync("backups/large.dump", new ForwardOnlyStream(new MemoryStream(content)));

        Assert.That(size, Is.EqualTo(content.Length));
        Assert.That(SHA256.HashData(await ReadAsync("backups/large.dump")), Is.EqualTo(SHA256.HashData(content)));
    }

    [Test]
    public async Task Should_replace_a_blob_that_is_put_again()
    {
        await _store.PutAsync("backups/b.dump", new MemoryStream([1, 2, 3]));
        await _store.PutAsync("backups/b.dump", new MemoryStream([4]));

        Assert.That(await ReadAsync("backups/b.dump"), Is.EqualTo(new byte[] { 4 }));
    }

    [Test]
    public async Task Should_leave_nothing_under_the_key_when_the_content_fails_midway()
    {
        var failing = new FailingStream(new MemoryStream(RandomNumberGenerator.GetBytes(11 * 1024 * 1024)), failAfter: 7 * 1024 * 1024);

        Assert.That(async () => await _store.PutAsync("backups/partial.dump", failing), Throws.InstanceOf<IOException>());
        Assert.That(await _store.ExistsAsync("backups/partial.dump"), Is.False);
    }

    [Test]
    public async Task Should_delete_and_forget_a_blob_and_accept_deleting_a_missing_one()
    {
        await _store.PutAsync("backups/c.dump", new MemoryStream([1]));
        await _store.DeleteAsync("backups/c.dump");
        await _store.DeleteAsync("backups/never-there.dump");

        Assert.That(await _store.ExistsAsync("backups/c.dump"), Is.False);
        Assert.That(async () => await _store.OpenReadAsync("backups/c.dump"), Throws.InstanceOf<BlobNotFoundException>());
    }

    [Test]
    public void Should_refuse_a_key_that_leaves_the_store()
    {
        Assert.That(async () => await _store.PutAsync("../outside", new MemoryStream([1])), Throws.InstanceOf<ArgumentException>());
    }

    private async Task<byte[]> ReadAsync(string key)
    {
        await using var stream = await _store.OpenReadAsync(key);
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    /// <summary>A source with no length and no seeking, like a pipe from pg_dump.</summary>
    private class ForwardOnlyStream(Stream inner) : Platform.Blobs.ForwardReadStream
    {
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    }

    private sealed class FailingStream(Stream inner, long failAfter) : ForwardOnlyStream(inner)
    {
        private long _read;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_read >= failAfter)
            {
                throw new IOException("The source broke.");
            }
            var n = base.Read(buffer, offset, (int)Math.Min(count, failAfter - _read));
            _read += n;
            return n;
        }
    }
}
