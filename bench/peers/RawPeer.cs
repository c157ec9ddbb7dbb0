using System.Buffers.Binary;
using Platform.Bench.Throughput;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Platform.Bench.Peers;

/// <summary>
/// The broker's own limit, the baseline: RabbitMQ.Client alone, persistent numbered messages, publishers each awaiting
/// its confirm, one consumer acknowledging each with the platform worker's prefetch. No database, no framework.
/// </summary>
public sealed class RawPeer(Settings settings) : IPeer
{
    public string Name => "raw-rabbitmq";

    private static readonly string[] Shared = ["rabbitmq"];

    public async Task<Result> PipelineAsync(int round)
    {
        await using var env = await BenchEnvironment.CreateAsync();
        await using var bus = await Bus.OpenAsync(env.AmqpUri, (ushort)settings.PlatformPrefetch);
        await bus.ConsumeAsync();
        return await Measure.PipelineAsync(Name, round, settings, env, () => new() { ["client"] = [Environment.ProcessId] }, Shared,
            (first, count) => bus.PublishAsync(first, count, settings.Clients), () => Task.FromResult(bus.Received), bus.CheckAsync);
    }

    public async Task<Result> DrainAsync(int round, long backlog)
    {
        await using var env = await BenchEnvironment.CreateAsync();
        await using var bus = await Bus.OpenAsync(env.AmqpUri, (ushort)settings.PlatformPrefetch);
        return await Measure.DrainAsync(Name, round, backlog, env, () => new() { ["client"] = [Environment.ProcessId] }, Shared,
            (first, count) => bus.PublishAsync(first, count, settings.Clients), bus.ConsumeAsync, () => Task.FromResult(bus.Received),
            bus.CheckAsync);
    }

    private sealed class Bus : IAsyncDisposable
    {
        private readonly IConnection _publish;
        private readonly IConnection _consume;
        private readonly IChannel _channel;
        private readonly string _queue = $"raw-{Guid.NewGuid():N}";
        private readonly List<long> _numbers = [];
        private long _received;

        private Bus(IConnection publish, IConnection consume, IChannel channel)
        {
            _publish = publish;
            _consume = consume;
            _channel = channel;
        }

        public long Received => Interlocked.Read(ref _received);

        public static async Task<Bus> OpenAsync(string uri, ushort prefetch)
        {
            var factory = new ConnectionFactory { Uri = new Uri(uri) };
            var consume = await factory.CreateConnectionAsync();
            var channel = await consume.CreateChannelAsync();
            await channel.BasicQosAsync(0, prefetch, false);
            var bus = new Bus(await factory.CreateConnectionAsync(), consume, channel);
            await channel.QueueDeclareAsync(bus._queue, durable: true, exclusive: false, autoDelete: false);
            return bus;
        }

        public async Task ConsumeAsync()
        {
            var consumer = new AsyncEventingBasicConsumer(_channel);
            consumer.ReceivedAsync += async (_, delivery) =>
            {
                var number = BinaryPrimitives.ReadInt64LittleEndian(delivery.Body.Span);
                lock (_numbers)
                {
                    _numbers.Add(number);
                }
                await _channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
                Interlocked.Increment(ref _received);
            };
            await _channel.BasicConsumeAsync(_queue, autoAck: false, consumer);
        }

        public async Task<double> PublishAsync(long first, long count, int publishers)
        {
            var properties = new BasicProperties { Persistent = true, ContentType = "application/octet-stream" };
            var next = first - 1;
            await Task.WhenAll(Enumerable.Range(0, publishers).Select(async _ =>
            {
                await using var channel = await _publish.CreateChannelAsync(
                    new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
                long n;
                var body = new byte[8];
                while ((n = Interlocked.Increment(ref next)) < first + count)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(body, n);
                    await channel.BasicPublishAsync("", _queue, mandatory: false, properties, body); // returns once confirmed
                }
            }));
            return 0;
        }

        public Task<(long Lost, long Duplicated)> CheckAsync(long total)
        {
            lock (_numbers)
            {
                return Task.FromResult(Ledger.Check(1, total, _numbers));
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _channel.DisposeAsync();
            await _consume.DisposeAsync();
            await _publish.DisposeAsync();
        }
    }
}
