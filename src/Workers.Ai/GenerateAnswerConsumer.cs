using MassTransit;
using Microsoft.Extensions.Options;
using Platform.Infrastructure;
using Platform.Infrastructure.Bus;
using Platform.Infrastructure.Data;
using Platform.Infrastructure.Jobs;
using Platform.Messages;
using Platform.Workers.Ai.Answers;

namespace Platform.Workers.Ai;

/// <summary>Answers a question from the tenant's documents and stores the answer as the job's result.</summary>
public sealed class GenerateAnswerConsumer(JobRunner runner, JobStore jobs, ExtractiveAnswerer answerer) : IConsumer<GenerateAnswer>
{
    public Task Consume(ConsumeContext<GenerateAnswer> context) =>
        runner.RunAsync(context, context.Message.JobId, async job =>
        {
            var message = context.Message;
            if (string.IsNullOrWhiteSpace(message.Question))
            {
                throw new JobFailureException(ReasonCodes.InvalidInput, "The question is empty.");
            }
            var answer = await answerer.AnswerAsync(message.TenantId, message.Question, message.TopK ?? 5, job.CancellationToken);
            await jobs.SucceedAsync(message.JobId, Json.Serialize(answer), job.CancellationToken);
            await context.Publish(new AnswerGenerated
            {
                JobId = message.JobId, TenantId = message.TenantId, CitationCount = answer.Citations.Count,
                CorrelationId = message.CorrelationId,
            });
        });
}

public sealed class GenerateAnswerConsumerDefinition : ConsumerDefinition<GenerateAnswerConsumer>
{
    private readonly BusOptions _bus;

    public GenerateAnswerConsumerDefinition(IOptions<BusOptions> bus, IOptions<AiOptions> ai)
    {
        _bus = bus.Value;
        EndpointName = QueueNames.GenerateAnswer;
        ConcurrentMessageLimit = ai.Value.AnswerConcurrency;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<GenerateAnswerConsumer> consumer,
        IRegistrationContext context) => endpoint.UsePlatformRetry(_bus);
}
