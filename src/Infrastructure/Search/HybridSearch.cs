using Platform.Infrastructure.Data;

namespace Platform.Infrastructure.Search;

public enum SearchMode
{
    Hybrid,
    Keyword,
    Vector,
}

public sealed record SearchRequest(string TenantId, string Query, SearchMode Mode = SearchMode.Hybrid, int TopK = 10,
    IReadOnlyCollection<Guid>? DocumentIds = null);

public sealed record SearchHit(Guid ChunkId, Guid DocumentId, int PageStart, int PageEnd, string HeadingPath, string Snippet,
    string Content, double Score);

/// <summary>
/// Keyword (database full-text) and vector (in-process exact scan) results fused with reciprocal rank fusion:
/// score = Σ 1 / (60 + rank), the constant from Cormack et al. (2009), robust without tuning.
/// </summary>
public sealed class HybridSearch(ChunkStore chunks, VectorIndex vectors, IEmbedder embedder)
{
    private const int RrfK = 60;
    private const int CandidatesPerList = 50;

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, CancellationToken ct = default)
    {
        var tokens = TextTokenizer.Tokenize(request.Query);
        var keyword = request.Mode == SearchMode.Vector
            ? []
            : await chunks.KeywordSearchAsync(request.TenantId, tokens, request.DocumentIds, CandidatesPerList, ct);
        IReadOnlyList<(Guid ChunkId, double Score)> vector = [];
        if (request.Mode != SearchMode.Keyword && tokens.Count > 0)
        {
            var queryVector = (await embedder.EmbedAsync([request.Query], ct))[0];
            vector = (await vectors.SearchAsync(request.TenantId, queryVector, request.DocumentIds, CandidatesPerList, ct))
                .Where(v => v.Score > 0.05) // orthogonal vectors share no feature at all
                .ToList();
        }

        var ranked = request.Mode switch
        {
            SearchMode.Keyword => keyword,
            SearchMode.Vector => vector,
            _ => Fuse(keyword, vector),
        };
        var top = ranked.Take(Math.Clamp(request.TopK, 1, 100)).ToList();
        var rows = (await chunks.GetManyAsync(top.Select(t => t.ChunkId).ToList(), ct)).ToDictionary(c => c.Id);
        return top.Where(t => rows.ContainsKey(t.ChunkId))
            .Select(t =>
            {
                var c = rows[t.ChunkId];
                return new SearchHit(c.Id, c.DocumentId, c.PageStart, c.PageEnd, c.HeadingPath, Snippets.Around(c.Content, tokens),
                    c.Content, Math.Round(t.Score, 6));
            })
            .ToList();
    }

    private static List<(Guid ChunkId, double Score)> Fuse(params IReadOnlyList<(Guid ChunkId, double Score)>[] lists)
    {
        var fused = new Dictionary<Guid, double>();
        foreach (var list in lists)
        {
            for (var rank = 0; rank < list.Count; rank++)
            {
                fused[list[rank].ChunkId] = fused.GetValueOrDefault(list[rank].ChunkId) + 1.0 / (RrfK + rank + 1);
            }
        }
        return fused.OrderByDescending(f => f.Value).Select(f => (f.Key, f.Value)).ToList();
    }
}
