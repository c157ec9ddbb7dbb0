using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Platform.Workers.Backup.Encryption;

/// <summary>Reads the <see cref="BackupCipher"/> format and yields plaintext; a cut, reordered or altered file throws <see cref="CryptographicException"/>.</summary>
public sealed class DecryptingStream(Stream ciphertext, AesGcm aes) : ChunkedCipherStream(ciphertext)
{
    private byte[]? _header;
    private byte[] _chunk = [];
    private bool _finished;
    private uint _index;

    protected override async Task<byte[]?> NextBlockAsync(CancellationToken ct)
    {
        if (_header is null)
        {
            _header = new byte[BackupCipher.HeaderSize];
            var read = await BackupCipher.FillAsync(Inner, _header, ct);
            if (read < _header.Length || !_header.AsSpan(0, 8).SequenceEqual(BackupCipher.Magic) || _header[8] != 1)
            {
                throw new CryptographicException("Not an encrypted backup (bad header).");
            }
            var chunkSize = (int)BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(9));
            _chunk = new byte[chunkSize + BackupCipher.TagSize];
        }
        if (_finished)
        {
            return null;
        }
        var n = await BackupCipher.FillAsync(Inner, _chunk, ct);
        if (n < BackupCipher.TagSize)
        {
            throw new CryptographicException("The encrypted backup is truncated.");
        }
        var final = n < _chunk.Length;
        var plain = new byte[n - BackupCipher.TagSize];
        aes.Decrypt(BackupCipher.Nonce(_header, _index++), _chunk.AsSpan(0, plain.Length), _chunk.AsSpan(plain.Length, BackupCipher.TagSize),
            plain, BackupCipher.Aad(_header, final));
        _finished = final;
        return plain;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            aes.Dispose();
        }
        base.Dispose(disposing);
    }
}
