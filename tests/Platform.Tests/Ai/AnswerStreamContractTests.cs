using Platform.Search.Streams;
using Platform.Tests.Support;
using StackExchange.Redis;

namespace Platform.Tests.Ai;

/// <summary>One contract for both answer streams: in-process and Redis (list + pub/sub).</summary>
[TestFixture("InProcess")]
[TestFixture("Redis")]
[Category("Integration")]
public sealed class AnswerStreamContractTests(string kind)
{
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(200);
    private ConnectionMultiplexer? _redis;
    private IAnswerStream _stream = null!;

    [SetUp]
    public async Task Create()
    {
        if (kind == "Redis")
        {
            _redis = await ConnectionMultiplexer.ConnectAsync(TestServices.Redis);
            _stream = new RedisAnswerStream(_redis, $"test:{Guid.NewGuid():N}:");
        }
        else
        {
            _stream = new InProcessAnswerStream(TimeProvider.System);
        }
    }

    [TearDown]
    public void Close() => _redis?.Dispose();

    private static async Task<List<AnswerEvent>> CollectAsync(IAsyncEnumerable<AnswerEvent> events, bool skipIdle = true)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var list = new List<AnswerEvent>();
        await foreach (var e in events.WithCancellation(timeout.Token))
        {
            if (!skipIdle || e.Type != AnswerEvent.Idle)
            {
                list.Add(e);
            }
        }
        return list;
    }

    [Test]
    public async Task Should_replay_everything_to_a_reader_that_arrives_late()
    {
        var id = Guid.NewGuid();
        await _stream.PublishAsync(id, new AnswerEvent(AnswerEvent.Reset, ""));
        await _stream.PublishAsync(id, new AnswerEvent(AnswerEvent.Token, "Hello"));
        await _stream.PublishAsync(id, new AnswerEvent(AnswerEvent.Token, " 世界"));
        await _stream.PublishAsync(id, new AnswerEvent(AnswerEvent.Done, "{}"));

        var events = await CollectAsync(_stream.ReadAsync(id, Idle));

        Assert.That(events.Select(e => e.Type), Is.EqualTo(new[] { "reset", "token", "token", "done" }));
        Assert.That(string.Concat(events.Where(e => e.Type == "token").Select(e => e.Data)), Is.EqualTo("Hello 世界"));
    }

    [Test]
    public async Task Should_deliver_events_published_while_a_reader_waits_in_order_and_end_after_done()
    {
        var id = Guid.NewGuid();
        var readers = Enumerable.Range(0, 2).Select(_ => CollectAsync(_stream.ReadAsync(id, Idle))).ToList();
        await _stream.PublishAsync(id, new AnswerEvent(AnswerEvent.Token, "a"));
        for (var i = 0; i < 50; i++)
        {
            await _stream.PublishAsync(id, new AnswerEvent(AnswerEvent.Token, i.ToString()));
        }
        await _stream.PublishAsync(id, new AnswerEvent(AnswerEvent.Error, "{\"code\":\"x\"}"));

        foreach (var reader in readers)
        {
            var events = await reader;
            Assert.That(string.Concat(events.Where(e => e.Type == "token").Select(e => e.Data)),
                Is.EqualTo("a" + string.Concat(Enumerable.Range(0, 50))));
            Assert.That(events.Last().Type, Is.EqualTo("error"));
        }
    }

    [Test]
    public async Task Should_tell_a_reader_when_nothing_arrives()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var events = _stream.ReadAsync(Guid.NewGuid(), Idle, cancel.Token).GetAsyncEnumerator(cancel.Token);
        Assert.That(await events.MoveNextAsync(), Is.True);
        Assert.That(events.Current.Type, Is.EqualTo(AnswerEvent.Idle));
    }

    [Test]
    public async Task Should_keep_streams_of_different_answers_apart()
    {
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        await _stream.PublishAsync(first, new AnswerEvent(AnswerEvent.Token, "one"));
        await _stream.PublishAsync(second, new AnswerEvent(AnswerEvent.Token, "two"));
        await _stream.PublishAsync(first, new AnswerEvent(AnswerEvent.Done, "{}"));
        await _stream.PublishAsync(second, new AnswerEvent(AnswerEvent.Done, "{}"));

        var events = await CollectAsync(_stream.ReadAsync(first, Idle));
        Assert.That(events.Where(e => e.Type == "token").Select(e => e.Data), Is.EqualTo(new[] { "one" }));
    }
}
