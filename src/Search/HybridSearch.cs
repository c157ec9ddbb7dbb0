using Microsoft.Extensions.Options;
using Platform.Data;

namespace Platform.Search;

public enum SearchMode
{
    Hybrid,
    Keyword,
    Vector,
}

/// <param name="DocumentIds">Only these documents (null or empty: all of the tenant's).</param>
/// <param name="Tags">Only documents carrying every one of these tags.</param>
public sealed record SearchRequest(string TenantId, string Query, SearchMode Mode = SearchMode.Hybrid, int TopK = 10,
    IReadOnlyCollection<Guid>? DocumentIds = null, IReadOnlyCollection<string>? Tags = null);

/// <param name="FileName">The document's file name as uploaded (from the documents table; the index does not store it).</param>
public sealed record SearchHit(Guid ChunkId, Guid DocumentId, int PageStart, int PageEnd, string HeadingPath, string Snippet,
    string Content, double Score, string FileName = "");

/// <summary>
/// Keyword and vector candidates from the <see cref="ISearchIndex"/>, fused so that vectors cannot lose what keyword finds:
/// the first <see cref="ProtectedKeywordHits"/> places hold keyword's best hits in keyword's order; the places after them
/// are the other candidates of both lists by reciprocal rank fusion (score = Σ 1 / (60 + rank), Cormack et al. 2009), so
/// vectors fill in where keyword finds little. Before fusion, keyword's best <see cref="SearchOptions.ProximityDepth"/> are
/// re-ordered by <see cref="ProximityRanking"/> (query words found next to each other). Measured in bench/quality
/// (docs/benchmarks.md, "Quality"): plain RRF let the built-in hashed embedder push keyword's answer out of the top 3 for
/// 14 % of the questions, and letting it re-order keyword's top 3 cost 13 points of hit@1. The tenant filter is applied by
/// the index itself; rows are re-checked against the tenant before they are returned, so nothing leaks.
/// </summary>
public sealed class HybridSearch(ChunkStore chunks, ISearchIndex index, IEmbedder embedder, DocumentTags tags, DocumentStore documentStore,
    IOptions<SearchOptions>? options = null)
{
    private readonly SearchOptions _options = options?.Value ?? new SearchOptions();

    private const int RrfK = 60;
    private const int CandidatesPerList = 50;
    private const int ProtectedKeywordHits = 3;

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, CancellationToken ct = default)
    {
        var documents = await ResolveDocumentsAsync(request, ct);
        if (documents is { Count: 0 })
        {
            return [];
        }
        var tokens = TextTokenizer.TokenizeQuery(request.Query);
        // Both candidate lists at once. The vector side is started first and yields to the thread pool, because SQLite's
        // "async" calls complete synchronously: the keyword query then runs on this thread while the scan runs on another.
        var vectorTask = request.Mode != SearchMode.Keyword && tokens.Count > 0
            ? VectorCandidatesAsync(request, documents, ct)
            : Task.FromResult<IReadOnlyList<(Guid ChunkId, double Score)>>([]);
        var rows = new Dictionary<Guid, Chunk>();
        var keywordTask = request.Mode == SearchMode.Vector
            ? Task.FromResult<IReadOnlyList<(Guid ChunkId, double Score)>>([])
            : KeywordCandidatesAsync(request, tokens, documents, rows, ct);
        await Task.WhenAll(keywordTask, vectorTask);
        var (keyword, vector) = (await keywordTask, await vectorTask);

        var ranked = request.Mode switch
        {
            SearchMode.Keyword => keyword,
            SearchMode.Vector => vector,
            _ => Fuse(keyword, vector),
        };
        var top = ranked.Take(Math.Clamp(request.TopK, 1, 100)).ToList();
        await LoadAsync(rows, top.Select(t => t.ChunkId), ct);
        var allowed = top.Select(t => t.ChunkId)
            .Where(id => rows.TryGetValue(id, out var c) && c.TenantId == request.TenantId && (documents is null || documents.Contains(c.DocumentId)))
            .ToHashSet();
        var names = await documentStore.FileNamesAsync(request.TenantId, allowed.Select(id => rows[id].DocumentId).Distinct().ToList(), ct);
        return top.Where(t => allowed.Contains(t.ChunkId))
            .Select(t =>
            {
                var c = rows[t.ChunkId];
                return new SearchHit(c.Id, c.DocumentId, c.PageStart, c.PageEnd, c.HeadingPath, Snippets.Around(c.Content, tokens),
                    c.Content, Math.Round(t.Score, 6), names.GetValueOrDefault(c.DocumentId, ""));
            })
            .ToList();
    }

    private async Task<IReadOnlyList<(Guid ChunkId, double Score)>> VectorCandidatesAsync(SearchRequest request,
        IReadOnlyCollection<Guid>? documents, CancellationToken ct)
    {
        await Task.Yield(); // off the caller's thread, so the keyword query runs alongside
        var queryVector = (await embedder.EmbedAsync([request.Query], ct))[0];
        return (await index.VectorAsync(request.TenantId, queryVector, documents, CandidatesPerList, ct))
            .Where(v => v.Score > 0.05) // orthogonal vectors share no feature at all
            .ToList();
    }

    /// <summary>Keyword's candidates, its best re-ordered by proximity (their rows read while the vector scan still runs).</summary>
    private async Task<IReadOnlyList<(Guid ChunkId, double Score)>> KeywordCandidatesAsync(SearchRequest request, List<string> tokens,
        IReadOnlyCollection<Guid>? documents, Dictionary<Guid, Chunk> rows, CancellationToken ct)
    {
        var keyword = await index.KeywordAsync(request.TenantId, tokens, documents, CandidatesPerList, ct);
        if (keyword.Count < 2 || _options.ProximityWeight <= 0)
        {
            return keyword;
        }
        var head = keyword.Take(_options.ProximityDepth).ToList();
        await LoadAsync(rows, head.Select(k => k.ChunkId), ct);
        return [.. ProximityRanking.Rerank(tokens, head, rows, _options.ProximityWeight), .. keyword.Skip(head.Count)];
    }

    /// <summary>Adds the rows of <paramref name="ids"/> not yet in <paramref name="rows"/>.</summary>
    private async Task LoadAsync(Dictionary<Guid, Chunk> rows, IEnumerable<Guid> ids, CancellationToken ct)
    {
        var missing = ids.Where(id => !rows.ContainsKey(id)).ToList();
        foreach (var chunk in await chunks.GetManyAsync(missing, ct))
        {
            rows[chunk.Id] = chunk;
        }
    }

    /// <summary>The document filter: the ids asked for, narrowed to those carrying the tags. Null: no filter.</summary>
    private async Task<IReadOnlyCollection<Guid>?> ResolveDocumentsAsync(SearchRequest request, CancellationToken ct)
    {
        HashSet<Guid>? documents = request.DocumentIds is { Count: > 0 } ids ? ids.ToHashSet() : null;
        if (request.Tags is { Count: > 0 } wanted)
        {
            var tagged = await tags.DocumentsWithAllAsync(request.TenantId, wanted, ct);
            documents = documents is null ? tagged.ToHashSet() : documents.Intersect(tagged).ToHashSet();
        }
        return documents;
    }

    internal static List<(Guid ChunkId, double Score)> Fuse(IReadOnlyList<(Guid ChunkId, double Score)> keyword,
        IReadOnlyList<(Guid ChunkId, double Score)> vector)
    {
        var fused = new Dictionary<Guid, double>();
        foreach (var list in new[] { keyword, vector })
        {
            for (var rank = 0; rank < list.Count; rank++)
            {
                fused[list[rank].ChunkId] = fused.GetValueOrDefault(list[rank].ChunkId) + 1.0 / (RrfK + rank + 1);
            }
        }
        var head = keyword.Take(ProtectedKeywordHits).Select(k => (k.ChunkId, fused[k.ChunkId])).ToList();
        var tail = fused.Where(f => head.All(h => h.ChunkId != f.Key)).OrderByDescending(f => f.Value).Select(f => (f.Key, f.Value));
        return [.. head, .. tail];
    }
}
