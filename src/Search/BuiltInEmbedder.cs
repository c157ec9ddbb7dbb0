using System.Numerics.Tensors;
using Microsoft.Extensions.Options;
using Platform.Data;

namespace Platform.Search;

/// <summary>
/// A deterministic embedder that needs no model download: hashed features (the tokens of <see cref="TextTokenizer"/>
/// plus character trigrams of each word) projected into a fixed number of signed buckets, then L2-normalised.
/// Similar wording gives similar vectors; it knows no synonyms.
/// </summary>
public sealed class BuiltInEmbedder(IOptions<EmbeddingOptions> options) : IEmbedder
{
    private readonly int _dimensions = options.Value.Dimensions;

    public string Model => $"builtin-hash-v1-{_dimensions}";

    public int Dimensions => _dimensions;

    public Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken ct = default) =>
        Task.FromResult(texts.Select(Embed).ToArray());

    public float[] Embed(string text)
    {
        var vector = new float[_dimensions];
        foreach (var token in TextTokenizer.Tokenize(text))
        {
            Add(vector, token, 1f);
            if (token.Length > 3 && !TextTokenizer.IsCjk(token[0]))
            {
                var padded = $"<{token}>";
                for (var i = 0; i + 3 <= padded.Length; i++)
                {
                    Add(vector, padded.AsSpan(i, 3), 0.35f);
                }
            }
        }
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
        return vector;
    }

    private void Add(float[] vector, ReadOnlySpan<char> feature, float weight)
    {
        var hash = Fnv1a(feature);
        var bucket = (int)(hash % (ulong)_dimensions);
        vector[bucket] += (hash >> 63) == 0 ? weight : -weight;
    }

    // FNV-1a 64 then a final mix: fast, stable across processes and versions (string.GetHashCode is not).
    private static ulong Fnv1a(ReadOnlySpan<char> s)
    {
        var h = 14695981039346656037UL;
        foreach (var c in s)
        {
            h = (h ^ c) * 1099511628211UL;
        }
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        return h;
    }
}
