using MassTransit;
using Platform.Infrastructure.Bus;
using Platform.Workers.Ai.Answers;

namespace Platform.Workers.Ai;

public static class Extensions
{
    /// <summary>This process as an AI worker: embedding, indexing and answering.</summary>
    public static IHostApplicationBuilder AddAiWorker(this IHostApplicationBuilder builder)
    {
        builder.AddAiServices();
        builder.AddPlatformBus(x => x.AddAiConsumers());
        return builder;
    }

    public static IHostApplicationBuilder AddAiServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AiOptions>().BindConfiguration(AiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ExtractiveAnswerer>();
        return builder;
    }

    public static void AddAiConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<EmbedDocumentConsumer, EmbedDocumentConsumerDefinition>();
        bus.AddConsumer<GenerateAnswerConsumer, GenerateAnswerConsumerDefinition>();
    }
}
