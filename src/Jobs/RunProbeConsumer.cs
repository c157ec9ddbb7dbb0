using MassTransit;
using Microsoft.Extensions.Options;
using Platform.Messages;

namespace Platform.Jobs;

/// <summary>
/// A probe goes through the same lifecycle as real work (claim, lease, outcome, events) and does nothing else, so
/// its round trip measures the platform itself: for smoke checks after a deploy, end-to-end alerts and benchmarks.
/// </summary>
public sealed class RunProbeConsumer(JobRunner runner) : IConsumer<RunProbe>
{
    public Task Consume(ConsumeContext<RunProbe> context) =>
        runner.RunAsync(context, context.Message.JobId, job => job.SucceedAsync());
}

public sealed class RunProbeConsumerDefinition(IOptions<BusOptions> bus)
    : JobConsumerDefinition<RunProbeConsumer>(bus.Value, QueueNames.RunProbe, bus.Value.PrefetchCount);
