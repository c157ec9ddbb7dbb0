using Microsoft.Extensions.Options;
using Platform.Data;
using Platform.Search.Graph;

namespace Platform.Workers.Ai.Graph;

/// <summary>
/// Named terms without a model, a document at a time. <see cref="NameCandidates"/> proposes names per sentence; a capitalised
/// word that only ever starts a sentence is not a name. Every mention of a proposed name then counts, in any case ("nginx"
/// counts for Nginx), and a name mentioned fewer than <see cref="GraphOptions.MinMentions"/> times in the document is dropped
/// (unless a table row names it). Names in the same sentence are related by <c>co_occurs</c>.
/// </summary>
public sealed class RuleBasedGraphExtractor(IOptions<GraphOptions> options) : IGraphExtractor
{
    public const string CoOccurs = "co_occurs";
    private const int MaxPerSentence = 8;
    private const int MaxSentence = 1000;
    private const int LowerCaseMinMentions = 3;

    public Task<IReadOnlyList<ChunkGraph>> ExtractAsync(IReadOnlyList<Chunk> chunks, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<ChunkGraph>>(chunks.GroupBy(c => c.DocumentId)
            .SelectMany(d => Extract(d.ToList(), options.Value.MinMentions)).ToList());

    /// <summary>One chunk on its own, every name kept (the chat-model extractor's fallback for a reply it cannot read).</summary>
    public static ChunkGraph Extract(Guid chunkId, Guid documentId, string text) =>
        Extract([new Chunk { Id = chunkId, DocumentId = documentId, Content = text }], 1).Single();

    /// <summary>The graph of one document's chunks.</summary>
    public static IReadOnlyList<ChunkGraph> Extract(IReadOnlyList<Chunk> chunks, int minMentions)
    {
        var sentences = chunks.Select(c => SentenceSplitter.Split(c.Content, MaxSentence).Select(s => c.Content[s.Start..s.End]).ToList()).ToList();
        var found = new List<(NameCandidates.Candidate Candidate, bool InTable)>();
        for (var i = 0; i < chunks.Count; i++)
        {
            if (chunks[i].Kind != "code")
            {
                found.AddRange(sentences[i].SelectMany(NameCandidates.Find).Select(c => (c, chunks[i].Kind == "table")));
            }
        }
        // Words seen capitalised away from a sentence start: only those count when they do start a sentence.
        var midSentence = found.Where(f => !f.Candidate.StartsSentence).GroupBy(f => GraphEntity.KeyOf(f.Candidate.Name))
            .ToDictionary(g => g.Key, g => g.Count());
        var prose = sentences.Where((_, i) => chunks[i].Kind != "code").SelectMany(list => list.SelectMany(NameCandidates.LowerCaseProse))
            .CountBy(w => w).ToDictionary(p => p.Key, p => p.Value);
        var accepted = found.Where(f => f.InTable || f.Candidate.Kind != "term" || f.Candidate.Name.Contains(' ') || HasInnerCapital(f.Candidate.Name)
                // A plain capitalised word is a name when written so mid-sentence, and more often than in lower case ("Find" is not).
                || midSentence.GetValueOrDefault(GraphEntity.KeyOf(f.Candidate.Name)) > prose.GetValueOrDefault(GraphEntity.KeyOf(f.Candidate.Name)))
            .ToList();
        var paths = sentences.SelectMany(list => list.SelectMany(NameCandidates.PathWords)).ToHashSet();
        accepted.AddRange(paths.Where(w => prose.GetValueOrDefault(w) >= Math.Max(minMentions, LowerCaseMinMentions) 
                && !GraphStopWords.IsGenericWord(w) && !GraphStopWords.PathFurniture.Contains(w))
            .Select(w => (new NameCandidates.Candidate(w, "term", false), false)));
        var names = accepted.GroupBy(f => GraphEntity.KeyOf(f.Candidate.Name)).ToDictionary(g => g.Key, g =>
        {
            // The most frequent spelling names the entity: "Nginx" over "NGINX" when the document writes it so more often.
            var spelling = g.GroupBy(f => f.Candidate.Name).OrderByDescending(s => s.Count()).ThenBy(s => s.Key, StringComparer.Ordinal).First();
            return (Entity: new GraphEntity(g.Key, spelling.Key, spelling.First().Candidate.Kind), InTable: g.Any(f => f.InTable));
        });

        var mentions = new MentionCounter(names.Keys);
        var perSentence = sentences.Select(list => list.Select(mentions.Count).ToList()).ToList();
        var kept = names.Where(n => mentions.Total(n.Key) >= minMentions || n.Value.InTable).ToDictionary(n => n.Key, n => n.Value.Entity);

        return chunks.Select((chunk, i) =>
        {
            var relations = new HashSet<GraphRelation>();
            foreach (var keys in perSentence[i])
            {
                var distinct = keys.Where(kept.ContainsKey).Distinct().Take(MaxPerSentence).ToList();
                for (var a = 0; a < distinct.Count; a++)
                {
                    for (var b = a + 1; b < distinct.Count; b++)
                    {
                        var (x, y) = string.CompareOrdinal(distinct[a], distinct[b]) < 0 ? (distinct[a], distinct[b]) : (distinct[b], distinct[a]);
                        relations.Add(new GraphRelation(x, y, CoOccurs));
                    }
                }
            }
            var entities = perSentence[i].SelectMany(k => k).Where(kept.ContainsKey).Distinct().Select(k => kept[k]).ToList();
            return new ChunkGraph(chunk.Id, chunk.DocumentId, entities, relations.ToList());
        }).ToList();
    }

    private static bool HasInnerCapital(string name) => name.Skip(1).Any(char.IsUpper) || name.Any(char.IsDigit);
}
