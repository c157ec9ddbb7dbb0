using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Platform.Bench.Throughput;

/// <summary>
/// The broker's own limit on this machine: RabbitMQ.Client alone publishing small persistent messages, each publisher
/// awaiting its confirm (as the API does per request), and one consumer acknowledging each message with the same
/// prefetch as a platform worker. No database, no framework. With a paced rate, publishing keeps to that rate instead
/// of going flat out.
/// </summary>
public static class RawBus
{
    public static async Task<double> MessagesPerSecondAsync(string amqpUri, int messages, int publishers, ushort prefetch, double? pacedRate = null)
    {
        var factory = new ConnectionFactory { Uri = new Uri(amqpUri) };
        await using var consumeConnection = await factory.CreateConnectionAsync();
        await using var publishConnection = await factory.CreateConnectionAsync();
        await using var consumeChannel = await consumeConnection.CreateChannelAsync();
        var queue = $"raw-{Guid.NewGuid():N}";
        await consumeChannel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await consumeChannel.BasicQosAsync(0, prefetch, false);

        var received = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(consumeChannel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            await consumeChannel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
            if (Interlocked.Increment(ref received) == messages)
            {
                done.TrySetResult();
            }
        };
        await consumeChannel.BasicConsumeAsync(queue, autoAck: false, consumer);

        // A small JSON command, about the size of a platform command envelope's payload.
        var body = System.Text.Encoding.UTF8.GetBytes(
            $$"""{"jobId":"{{Guid.NewGuid()}}","tenantId":"bench","correlationId":"{{Guid.NewGuid()}}"}""");
        var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };
        var next = 0;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, publishers).Select(async _ =>
        {
            await using var channel = await publishConnection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
            int n;
            while ((n = Interlocked.Increment(ref next)) <= messages)
            {
                if (pacedRate is { } rate && TimeSpan.FromSeconds(n / rate) - stopwatch.Elapsed is { TotalMilliseconds: > 0 } wait)
                {
                    await Task.Delay(wait);
                }
                await channel.BasicPublishAsync("", queue, mandatory: false, properties, body); // returns once confirmed
            }
        }));
        await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
        var seconds = stopwatch.Elapsed.TotalSeconds;
        await consumeChannel.QueueDeleteAsync(queue);
        return messages / seconds;
    }
}
