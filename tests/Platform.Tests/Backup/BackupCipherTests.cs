using System.Security.Cryptography;
using Platform.Workers.Backup.Encryption;

namespace Platform.Tests.Backup;

public sealed class BackupCipherTests
{
    private static readonly BackupCipher Cipher = new(RandomNumberGenerator.GetBytes(32));

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(4096)]      // exactly one chunk: an empty final chunk follows
    [TestCase(10_000)]
    public async Task Should_round_trip_any_length(int length)
    {
        var plain = RandomNumberGenerator.GetBytes(length);
        var sealed_ = await ReadAllAsync(Cipher.Encrypt(new MemoryStream(plain), chunkSize: 4096));

        Assert.That(sealed_.AsSpan(0, 8).ToArray(), Is.EqualTo("PLTBKENC"u8.ToArray()));
        Assert.That(await ReadAllAsync(Cipher.Decrypt(new MemoryStream(sealed_))), Is.EqualTo(plain));
    }

    [Test]
    public async Task Should_reject_a_file_cut_at_a_chunk_boundary()
    {
        var sealed_ = await ReadAllAsync(Cipher.Encrypt(new MemoryStream(new byte[10_000]), chunkSize: 4096));
        var cut = sealed_[..(21 + 4096 + 16)]; // header and the first chunk, which is complete but not final

        Assert.That(async () => await ReadAllAsync(Cipher.Decrypt(new MemoryStream(cut))), Throws.InstanceOf<CryptographicException>());
    }

    [Test]
    public async Task Should_reject_an_altered_byte()
    {
        var sealed_ = await ReadAllAsync(Cipher.Encrypt(new MemoryStream(new byte[10_000]), chunkSize: 4096));
        sealed_[5000] ^= 1;

        Assert.That(async () => await ReadAllAsync(Cipher.Decrypt(new MemoryStream(sealed_))), Throws.InstanceOf<CryptographicException>());
    }

    [Test]
    public async Task Should_reject_the_wrong_key()
    {
        var sealed_ = await ReadAllAsync(Cipher.Encrypt(new MemoryStream(new byte[100])));
        var other = new BackupCipher(RandomNumberGenerator.GetBytes(32));

        Assert.That(async () => await ReadAllAsync(other.Decrypt(new MemoryStream(sealed_))), Throws.InstanceOf<CryptographicException>());
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        await using (stream)
        {
            var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer);
            return buffer.ToArray();
        }
    }
}
