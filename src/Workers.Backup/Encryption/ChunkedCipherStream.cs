using Platform.Blobs;

namespace Platform.Workers.Backup.Encryption;

/// <summary>A read-only stream that produces its output a block at a time from <see cref="NextBlockAsync"/>.</summary>
public abstract class ChunkedCipherStream(Stream inner) : ForwardReadStream
{
    private ReadOnlyMemory<byte> _pending;
    private bool _done;

    protected Stream Inner { get; } = inner;

    /// <summary>The next block of output, or null at the end.</summary>
    protected abstract Task<byte[]?> NextBlockAsync(CancellationToken ct);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        while (_pending.IsEmpty && !_done)
        {
            var block = await NextBlockAsync(ct);
            if (block is null)
            {
                _done = true;
            }
            else
            {
                _pending = block;
            }
        }
        var n = Math.Min(buffer.Length, _pending.Length);
        _pending[..n].CopyTo(buffer);
        _pending = _pending[n..];
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();


    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
