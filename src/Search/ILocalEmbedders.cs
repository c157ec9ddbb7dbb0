namespace Platform.Search;

/// <summary>
/// In-process models (Platform.Search.Onnx), registered only by the hosts that embed documents. A host without them (the
/// API) keeps the built-in embedder for queries: its vector side then finds no vectors of the local model and search
/// falls back to keyword ranking, which the fusion already protects.
/// </summary>
public interface ILocalEmbedders
{
    bool Supports(string provider);

    IEmbedder Create(string provider);
}
