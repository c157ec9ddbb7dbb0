using Platform.Data;

namespace Platform.Search;

/// <summary>
/// Re-orders keyword's best candidates by how closely each holds the query's words together. BM25 scores every word on
/// its own, so a chunk that names "zstd" and "1.5.1" in different paragraphs ties with the table row that says
/// "zstd 1.5.1 -1"; term proximity is the classic cure (Rasolofo and Savoy 2003; Tao and Zhai 2007). A candidate's score
/// becomes its keyword score over the best one's, plus <see cref="SearchOptions.ProximityWeight"/> times the share of the
/// query's neighbouring term pairs found within <see cref="Window"/> tokens of each other in the chunk's indexed text. For
/// Chinese, whose tokens are overlapping bigrams, a neighbouring pair found together is a three-character phrase match.
/// </summary>
public static class ProximityRanking
{
    /// <summary>Tokens apart (either order) for a pair to count: stop words are already gone from both sides.</summary>
    public const int Window = 3;

    public static List<(Guid ChunkId, double Score)> Rerank(IReadOnlyList<string> queryTokens,
        IReadOnlyList<(Guid ChunkId, double Score)> candidates, IReadOnlyDictionary<Guid, Chunk> rows, double weight)
    {
        var pairs = Pairs(queryTokens);
        var best = candidates.Count > 0 ? candidates.Max(c => c.Score) : 0;
        if (pairs.Count == 0 || weight <= 0 || best <= 0)
        {
            return [.. candidates];
        }
        return candidates
            .Select((c, rank) => (c.ChunkId, Score: c.Score / best + weight * PairShare(pairs, rows.GetValueOrDefault(c.ChunkId)), rank))
            .OrderByDescending(c => c.Score).ThenBy(c => c.rank)
            .Select(c => (c.ChunkId, c.Score))
            .ToList();
    }

    /// <summary>The distinct neighbouring pairs of the query's tokens, a pair of one token twice left out.</summary>
    public static List<(string First, string Second)> Pairs(IReadOnlyList<string> tokens)
    {
        var pairs = new List<(string, string)>();
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if (tokens[i] != tokens[i + 1] && !pairs.Contains((tokens[i], tokens[i + 1])))
            {
                pairs.Add((tokens[i], tokens[i + 1]));
            }
        }
        return pairs;
    }

    /// <summary>The share of <paramref name="pairs"/> whose two tokens occur within <see cref="Window"/> of each other.</summary>
    public static double PairShare(IReadOnlyList<(string First, string Second)> pairs, Chunk? chunk)
    {
        if (chunk is null || pairs.Count == 0)
        {
            return 0;
        }
        // Looked up by span, so the chunk's tokens are not copied into strings (this runs for 20 chunks per query).
        var positions = pairs.SelectMany(p => new[] { p.First, p.Second }).Distinct()
            .ToDictionary(t => t, _ => new List<int>(), StringComparer.Ordinal);
        var lookup = positions.GetAlternateLookup<ReadOnlySpan<char>>();
        var text = chunk.SearchText.AsSpan();
        var position = 0;
        foreach (var range in text.Split(' '))
        {
            if (text[range] is { IsEmpty: false } token)
            {
                if (lookup.TryGetValue(token, out var list))
                {
                    list.Add(position);
                }
                position++;
            }
        }
        var found = pairs.Count(p => Near(positions[p.First], positions[p.Second]));
        return (double)found / pairs.Count;
    }

    // Both lists ascending: walk them together, as a merge does.
    private static bool Near(List<int> a, List<int> b)
    {
        var (i, j) = (0, 0);
        while (i < a.Count && j < b.Count)
        {
            if (Math.Abs(a[i] - b[j]) <= Window)
            {
                return true;
            }
            if (a[i] < b[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }
        return false;
    }
}
