using Platform.Search.Models;

namespace Platform.Workers.Ai.Graph;

public static class GraphExtensions
{
    /// <summary>The extractor: the chat model's JSON when a model is configured (and Chat:ExtractGraph), else rule-based.</summary>
    public static IHostApplicationBuilder AddKnowledgeGraph(this IHostApplicationBuilder builder, ChatModelOptions chat)
    {
        if (chat.Configured && chat.ExtractGraph)
        {
            builder.Services.AddSingleton<IGraphExtractor, LlmGraphExtractor>();
        }
        else
        {
            builder.Services.AddSingleton<IGraphExtractor, RuleBasedGraphExtractor>();
        }
        return builder;
    }
}
