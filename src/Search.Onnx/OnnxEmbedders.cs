using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Platform.Search.Onnx;

/// <summary>The local ONNX models, one instance per model per process (each holds ≈ 90 MB of weights once loaded).</summary>
public sealed class OnnxEmbedders : ILocalEmbedders, IDisposable
{
    private readonly Dictionary<string, OnnxEmbedder> _loaded = new(StringComparer.OrdinalIgnoreCase);

    public bool Supports(string provider) => OnnxEmbedder.Supports(provider);

    public IEmbedder Create(string provider)
    {
        if (!Supports(provider))
        {
            throw new ArgumentException($"No local model named {provider}; use {OnnxEmbedder.MiniLm} or {OnnxEmbedder.ArcticXs}.", nameof(provider));
        }
        lock (_loaded)
        {
            if (!_loaded.TryGetValue(provider, out var embedder))
            {
                _loaded[provider] = embedder = new OnnxEmbedder(provider);
            }
            return embedder;
        }
    }

    public void Dispose()
    {
        foreach (var embedder in _loaded.Values)
        {
            embedder.Dispose();
        }
    }
}

public static class OnnxEmbedderServices
{
    /// <summary>Makes <c>Embeddings:Provider</c> MiniLM and ArcticXs available in this host (the ones that embed documents).</summary>
    public static IHostApplicationBuilder AddLocalEmbedders(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ILocalEmbedders, OnnxEmbedders>();
        return builder;
    }
}
