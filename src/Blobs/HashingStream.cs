using System.Security.Cryptography;

namespace Platform.Blobs;

/// <summary>A read-only pass-through stream that hashes (SHA-256) and counts what is read, so content is hashed while it streams.</summary>
public sealed class HashingStream(Stream inner, long? limit = null) : ForwardReadStream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long BytesRead { get; private set; }

    /// <summary>Lower-case hex SHA-256 of everything read; call once, at the end.</summary>
    public string FinishHash() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Account(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var read = await inner.ReadAsync(buffer, ct);
        Account(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    private void Account(ReadOnlySpan<byte> data)
    {
        BytesRead += data.Length;
        if (limit is { } max && BytesRead > max)
        {
            throw new StreamTooLongException(max);
        }
        _hash.AppendData(data);
    }

    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}

public sealed class StreamTooLongException(long limit) : IOException($"The content is larger than the limit of {limit:N0} bytes.")
{
    public long Limit { get; } = limit;
}
