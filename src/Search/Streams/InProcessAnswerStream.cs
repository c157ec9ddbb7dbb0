using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Platform.Search.Streams;

/// <summary>The answer stream when there is no Redis: one process (API with in-process workers). Streams live 30 minutes.</summary>
public sealed class InProcessAnswerStream(TimeProvider clock) : IAnswerStream
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);
    private readonly ConcurrentDictionary<Guid, Buffer> _streams = new();

    public Task PublishAsync(Guid answerId, AnswerEvent e, CancellationToken ct = default)
    {
        Prune();
        var buffer = _streams.GetOrAdd(answerId, _ => new Buffer(clock.GetUtcNow()));
        lock (buffer.Events)
        {
            buffer.Events.Add(e);
            var signal = buffer.Signal;
            buffer.Signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            signal.TrySetResult();
        }
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<AnswerEvent> ReadAsync(Guid answerId, TimeSpan idle, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var buffer = _streams.GetOrAdd(answerId, _ => new Buffer(clock.GetUtcNow()));
        var next = 0;
        while (!ct.IsCancellationRequested)
        {
            List<AnswerEvent> fresh;
            Task signal;
            lock (buffer.Events)
            {
                fresh = buffer.Events.Skip(next).ToList();
                signal = buffer.Signal.Task;
            }
            next += fresh.Count;
            foreach (var e in fresh)
            {
                yield return e;
                if (e.IsFinal)
                {
                    yield break;
                }
            }
            if (fresh.Count == 0)
            {
                var woke = await Task.WhenAny(signal, Task.Delay(idle, clock, ct));
                if (woke != signal)
                {
                    ct.ThrowIfCancellationRequested();
                    yield return new AnswerEvent(AnswerEvent.Idle, "");
                }
            }
        }
    }

    private void Prune()
    {
        var cutoff = clock.GetUtcNow() - Lifetime;
        foreach (var (id, buffer) in _streams)
        {
            if (buffer.CreatedAt < cutoff)
            {
                _streams.TryRemove(id, out _);
            }
        }
    }

    private sealed class Buffer(DateTimeOffset createdAt)
    {
        public DateTimeOffset CreatedAt { get; } = createdAt;
        public List<AnswerEvent> Events { get; } = [];
        public TaskCompletionSource Signal { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
