using System.Text;
using MassTransit;
using Platform.Jobs;
using Platform.Workers.Ingest.Chunking;
using Platform.Workers.Ingest.Parsing;

namespace Platform.Workers.Ingest;

public static class Extensions
{
    /// <summary>This process as an ingest worker: its services and its consumers on the bus.</summary>
    public static IHostApplicationBuilder AddIngestWorker(this IHostApplicationBuilder builder)
    {
        builder.AddIngestServices();
        builder.AddPlatformBus(x => x.AddIngestConsumers());
        return builder;
    }

    public static IHostApplicationBuilder AddIngestServices(this IHostApplicationBuilder builder)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        builder.Services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<DocumentParser>();
        builder.Services.AddSingleton<ChunkPacker>();
        builder.Services.AddApiKeyVerifier();
        return builder;
    }

    public static void AddIngestConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ParseDocumentConsumer, ParseDocumentConsumerDefinition>();
        bus.AddConsumer<IngestDocumentConsumer, IngestDocumentConsumerDefinition>();
    }
}
