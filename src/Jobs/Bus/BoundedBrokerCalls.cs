using MassTransit;

namespace Platform.Jobs;

/// <summary>
/// Publishes and sends from a consumer with a bound on the wait. When the broker drops a connection while a consumer
/// is publishing, MassTransit 8.4 could leave that call waiting forever (seen in the outage chaos test: a forced
/// connection close, two parse consumers never ending). A consumer that never ends keeps its slot of the endpoint's
/// concurrency, so after two of them the worker took no more messages and their jobs stayed running under a live
/// heartbeat. Bounded, the call fails instead: the job is handed back and the message retried on the new connection.
/// Kept with 8.5.12 (not seen there in the broker chaos runs) as a bound no broker fault should be able to exceed.
/// </summary>
public static class BoundedBrokerCalls
{
    public static async Task PublishBoundedAsync<T>(this ConsumeContext context, T message) where T : class
    {
        using var bound = Bound(context);
        await context.Publish(message, bound.Token);
    }

    public static async Task PublishBoundedAsync(this ConsumeContext context, object message, Type messageType)
    {
        using var bound = Bound(context);
        await context.Publish(message, messageType, bound.Token);
    }

    public static async Task SendBoundedAsync<T>(this ConsumeContext context, T message) where T : class
    {
        using var bound = Bound(context);
        await context.Send(message, bound.Token);
    }

    private static CancellationTokenSource Bound(ConsumeContext context)
    {
        var bound = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        bound.CancelAfter(JobTimings.BrokerCallTimeout);
        return bound;
    }
}
