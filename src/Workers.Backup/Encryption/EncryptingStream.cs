using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Platform.Workers.Backup.Encryption;

/// <summary>Reads plaintext from the inner stream and yields the <see cref="BackupCipher"/> format.</summary>
public sealed class EncryptingStream : ChunkedCipherStream
{
    private readonly AesGcm _aes;
    private readonly byte[] _header = new byte[BackupCipher.HeaderSize];
    private readonly byte[] _plain;
    private bool _headerSent;
    private bool _finalSent;
    private uint _index;

    public EncryptingStream(Stream plaintext, AesGcm aes, int chunkSize) : base(plaintext)
    {
        _aes = aes;
        _plain = new byte[chunkSize];
        BackupCipher.Magic.CopyTo(_header, 0);
        _header[8] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(_header.AsSpan(9), (uint)chunkSize);
        RandomNumberGenerator.Fill(_header.AsSpan(13, 8));
    }

    protected override async Task<byte[]?> NextBlockAsync(CancellationToken ct)
    {
        if (!_headerSent)
        {
            _headerSent = true;
            return _header;
        }
        if (_finalSent)
        {
            return null;
        }
        var n = await BackupCipher.FillAsync(Inner, _plain, ct);
        var final = n < _plain.Length;
        var output = new byte[n + BackupCipher.TagSize];
        _aes.Encrypt(BackupCipher.Nonce(_header, _index++), _plain.AsSpan(0, n), output.AsSpan(0, n), output.AsSpan(n),
            BackupCipher.Aad(_header, final));
        _finalSent = final;
        return output;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _aes.Dispose();
        }
        base.Dispose(disposing);
    }
}
