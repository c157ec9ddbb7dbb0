using Microsoft.Extensions.Options;
using Platform.Blobs;
using Platform.Workers.Backup.Encryption;

namespace Platform.Workers.Backup;

/// <summary>Writes a dump into the store (encrypted when a key is configured), hashing the stored bytes as they stream.</summary>
public sealed class BackupBlobWriter(IBlobStore blobs, IOptions<BackupOptions> options)
{
    private readonly BackupCipher? _cipher = BackupCipher.FromBase64(options.Value.EncryptionKey);

    public bool Encrypts => _cipher is not null;

    /// <summary>Size and SHA-256 of what was stored.</summary>
    public async Task<(long Size, string Sha256)> WriteAsync(string key, Stream plaintext, CancellationToken ct)
    {
        await using var hashing = new HashingStream(_cipher?.Encrypt(plaintext) ?? plaintext);
        var size = await blobs.PutAsync(key, hashing, ct);
        return (size, hashing.FinishHash());
    }

    /// <summary>The plaintext of a stored dump read through <paramref name="stored"/> (which the caller hashes).</summary>
    public Stream Plaintext(Stream stored, bool encrypted) => encrypted
        ? (_cipher ?? throw new InvalidOperationException("The backup is encrypted and Backup:EncryptionKey is not set.")).Decrypt(stored)
        : stored;
}
