using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Platform.Workers.Backup.Encryption;

/// <summary>
/// Client-side encryption of dumps: AES-256-GCM over fixed-size chunks, so a dump of any size streams through in
/// constant memory and every chunk is authenticated. Format (version 1), documented in docs/backup-runbook.md:
/// <code>
/// header  = "PLTBKENC" | version (1 byte, 1) | chunk size (uint32 BE) | nonce prefix (8 random bytes)       21 bytes
/// chunk i = AES-GCM(plaintext_i) | tag (16 bytes)
///           nonce = nonce prefix | i (uint32 BE);  associated data = header | final flag (1 byte: 1 on the last chunk)
/// </code>
/// Every chunk but the last holds exactly chunk-size plaintext bytes; the last holds fewer (possibly none), so the
/// stream always ends with a chunk marked final. Cutting the file anywhere, reordering or altering chunks fails
/// authentication.
/// </summary>
public sealed class BackupCipher(byte[] key)
{
    public const int DefaultChunkSize = 1024 * 1024;
    internal const int TagSize = 16;
    internal const int HeaderSize = 21;
    internal static readonly byte[] Magic = "PLTBKENC"u8.ToArray();

    /// <summary>From configuration: base64 of 32 bytes; null when empty (encryption off).</summary>
    public static BackupCipher? FromBase64(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            return null;
        }
        var key = Convert.FromBase64String(base64);
        return key.Length == 32 ? new BackupCipher(key) : throw new ArgumentException("Backup:EncryptionKey must be base64 of exactly 32 bytes.");
    }

    public Stream Encrypt(Stream plaintext, int chunkSize = DefaultChunkSize) => new EncryptingStream(plaintext, new AesGcm(key, TagSize), chunkSize);

    public Stream Decrypt(Stream ciphertext) => new DecryptingStream(ciphertext, new AesGcm(key, TagSize));

    internal static byte[] Nonce(ReadOnlySpan<byte> header, uint index)
    {
        var nonce = new byte[12];
        header[13..21].CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce.AsSpan(8), index);
        return nonce;
    }

    internal static byte[] Aad(ReadOnlySpan<byte> header, bool final)
    {
        var aad = new byte[HeaderSize + 1];
        header.CopyTo(aad);
        aad[HeaderSize] = final ? (byte)1 : (byte)0;
        return aad;
    }

    internal static async Task<int> FillAsync(Stream source, Memory<byte> buffer, CancellationToken ct)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await source.ReadAsync(buffer[filled..], ct);
            if (read == 0)
            {
                break;
            }
            filled += read;
        }
        return filled;
    }
}
