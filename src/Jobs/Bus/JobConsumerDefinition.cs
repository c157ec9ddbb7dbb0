using MassTransit;

namespace Platform.Jobs;

/// <summary>
/// What every job consumer's definition says: its fixed queue, how many messages one process handles at once, and
/// the platform's retry policy (<see cref="BusExtensions.UsePlatformRetry"/>).
/// </summary>
public abstract class JobConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    private readonly BusOptions _bus;

    protected JobConsumerDefinition(BusOptions bus, string queue, int concurrency)
    {
        _bus = bus;
        EndpointName = queue;
        ConcurrentMessageLimit = concurrency;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<TConsumer> consumer,
        IRegistrationContext context) => endpoint.UsePlatformRetry(_bus);
}
