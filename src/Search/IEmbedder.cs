namespace Platform.Search;

/// <summary>Turns texts into unit-length vectors. The built-in embedder is the default; model servers are siblings.</summary>
public interface IEmbedder
{
    /// <summary>Identifies the vector space; vectors of different models are never compared.</summary>
    string Model { get; }

    int Dimensions { get; }

    Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken ct = default);
}
