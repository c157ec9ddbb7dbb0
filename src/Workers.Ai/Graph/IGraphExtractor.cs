using Platform.Data;
using Platform.Search.Graph;

namespace Platform.Workers.Ai.Graph;

/// <summary>Finds entities and relations in chunks: rule-based by default, a chat model's JSON when one is configured.</summary>
public interface IGraphExtractor
{
    Task<IReadOnlyList<ChunkGraph>> ExtractAsync(IReadOnlyList<Chunk> chunks, CancellationToken ct = default);
}
