using MassTransit;
using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Jobs;
using Platform.Messages;
using Platform.Search.Streams;
using Platform.ServiceDefaults;
using Platform.Workers.Ai.Answers;

namespace Platform.Workers.Ai;

/// <summary>
/// Answers a question from the tenant's documents, streaming the tokens (reset first, so a retried attempt starts the stream
/// over), stores the answer as the job's result, then ends the stream with the stored answer.
/// </summary>
public sealed class GenerateAnswerConsumer(JobRunner runner, IAnswerer answerer, IAnswerStream stream) : IConsumer<GenerateAnswer>
{
    public Task Consume(ConsumeContext<GenerateAnswer> context) =>
        runner.RunAsync(context, context.Message.JobId, async job =>
        {
            var message = context.Message;
            if (string.IsNullOrWhiteSpace(message.Question))
            {
                throw new JobFailureException(ReasonCodes.InvalidInput, "The question is empty.");
            }
            await stream.PublishAsync(message.JobId, new AnswerEvent(AnswerEvent.Reset, ""), job.CancellationToken);
            var answer = await answerer.AnswerAsync(message.TenantId, message.Question, message.TopK ?? 5,
                token => stream.PublishAsync(message.JobId, new AnswerEvent(AnswerEvent.Token, token), job.CancellationToken),
                job.CancellationToken);
            var stored = Json.Serialize(answer);
            await job.SucceedAsync(stored, job.CancellationToken);
            await stream.PublishAsync(message.JobId, new AnswerEvent(AnswerEvent.Done, stored), job.CancellationToken);
            await context.PublishBoundedAsync(new AnswerGenerated
            {
                JobId = message.JobId, TenantId = message.TenantId, CitationCount = answer.Citations.Count,
                CorrelationId = message.CorrelationId,
            });
        });
}

public sealed class GenerateAnswerConsumerDefinition(IOptions<BusOptions> bus, IOptions<AiOptions> ai)
    : JobConsumerDefinition<GenerateAnswerConsumer>(bus.Value, QueueNames.GenerateAnswer, ai.Value.AnswerConcurrency);
