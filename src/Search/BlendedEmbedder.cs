namespace Platform.Search;

/// <summary>
/// Two embedders side by side in one vector: [√w · semantic ; √(1−w) · lexical]. Both halves are unit length, so the cosine
/// of two blended vectors is w · cos(semantic) + (1 − w) · cos(lexical). An English-only semantic model then still ranks
/// Chinese text, where its own vectors barely differ, by the built-in embedder's shared words and characters.
/// </summary>
public sealed class BlendedEmbedder(IEmbedder semantic, IEmbedder lexical, double semanticWeight) : IEmbedder
{
    private readonly float _a = (float)Math.Sqrt(semanticWeight);
    private readonly float _b = (float)Math.Sqrt(1 - semanticWeight);

    public string Model => $"{semantic.Model}+{lexical.Model}@{semanticWeight:0.##}";

    public int Dimensions => semantic.Dimensions + lexical.Dimensions;

    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken ct = default)
    {
        var first = await semantic.EmbedAsync(texts, ct);
        var second = await lexical.EmbedAsync(texts, ct);
        var result = new float[texts.Count][];
        for (var i = 0; i < texts.Count; i++)
        {
            var vector = new float[Dimensions];
            for (var j = 0; j < first[i].Length; j++)
            {
                vector[j] = _a * first[i][j];
            }
            for (var j = 0; j < second[i].Length; j++)
            {
                vector[first[i].Length + j] = _b * second[i][j];
            }
            result[i] = vector;
        }
        return result;
    }
}
