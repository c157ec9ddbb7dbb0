using MassTransit;
using Platform.Jobs;
using Platform.Search.Models;
using Platform.Search.Onnx;
using Platform.Workers.Ai.Answers;
using Platform.Workers.Ai.Graph;

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
        builder.AddLocalEmbedders();
        var services = builder.Services;
        services.AddOptions<ChatModelOptions>().BindConfiguration(ChatModelOptions.Section)
            .Validate(o => o.MaxRetries is >= 0 and <= 20 && o.MaxOutputTokens is >= 16 and <= 32000, "Chat: MaxRetries 0–20, MaxOutputTokens 16–32000.")
            .ValidateOnStart();
        var chat = builder.Configuration.GetSection(ChatModelOptions.Section).Get<ChatModelOptions>() ?? new ChatModelOptions();
        services.AddHostedService<Reembedder>();
        services.AddSingleton<Retrieval>();
        services.AddSingleton<ExtractiveAnswerer>();
        if (chat.Configured)
        {
            services.AddSingleton<IChatModel, OpenAiChatModel>();
            services.AddSingleton<IAnswerer, ChatAnswerer>();
        }
        else
        {
            services.AddSingleton<IAnswerer>(sp => sp.GetRequiredService<ExtractiveAnswerer>());
        }
        builder.AddKnowledgeGraph(chat);
        return builder;
    }

    public static void AddAiConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<EmbedDocumentConsumer, EmbedDocumentConsumerDefinition>();
        bus.AddConsumer<GenerateAnswerConsumer, GenerateAnswerConsumerDefinition>();
        bus.AddConsumer<ExtractGraphConsumer, ExtractGraphConsumerDefinition>();
    }
}
