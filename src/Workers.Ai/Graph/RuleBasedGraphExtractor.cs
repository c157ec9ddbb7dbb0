using System.Text.RegularExpressions;
using Platform.Data;
using Platform.Search.Graph;

namespace Platform.Workers.Ai.Graph;

/// <summary>
/// Named terms without a model: runs of capitalised words (Apache Kafka, Job Runner), acronyms and CamelCase names
/// (RRF, PostgreSQL), and in Chinese the terms set off by 「」《》“” (no dictionary, so unmarked Chinese names are not found).
/// A capitalised word that only ever starts a sentence is not a name. Terms in the same sentence are related by
/// <c>co_occurs</c>.
/// </summary>
public sealed partial class RuleBasedGraphExtractor : IGraphExtractor
{
    public const string CoOccurs = "co_occurs";
    private const int MaxPerSentence = 8;

    private static readonly HashSet<string> NotNames =
    [
        "the", "a", "an", "this", "that", "these", "those", "it", "its", "in", "on", "at", "if", "when", "where", "what", "which", "who",
        "how", "why", "we", "you", "they", "he", "she", "i", "our", "your", "their", "for", "from", "with", "by", "to", "of", "and", "or",
        "but", "not", "no", "yes", "all", "each", "every", "some", "any", "after", "before", "then", "there", "here", "also", "see", "note",
    ];

    public Task<IReadOnlyList<ChunkGraph>> ExtractAsync(IReadOnlyList<Chunk> chunks, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<ChunkGraph>>(chunks.Select(c => Extract(c.Id, c.DocumentId, c.Content)).ToList());

    public static ChunkGraph Extract(Guid chunkId, Guid documentId, string text)
    {
        var sentences = SentenceSplitter.Split(text, 1000).Select(s => text[s.Start..s.End]).ToList();
        // Words seen capitalised away from a sentence start: only those count when they do start a sentence.
        var midSentence = sentences.SelectMany(s => Capitalised().Matches(s).Where(m => m.Index > 0).Select(m => m.Value)).ToHashSet();
        var entities = new Dictionary<string, GraphEntity>();
        var relations = new HashSet<GraphRelation>();
        foreach (var sentence in sentences)
        {
            var found = new List<GraphEntity>();
            foreach (Match m in Capitalised().Matches(sentence))
            {
                var name = TrimLeadingNonNames(m.Value, m.Index == 0, midSentence);
                if (name.Length >= 2)
                {
                    found.Add(new GraphEntity(GraphEntity.KeyOf(name), name, IsAcronym(name) ? "acronym" : "term"));
                }
            }
            foreach (Match m in CjkQuoted().Matches(sentence))
            {
                var name = m.Groups["t"].Value.Trim();
                if (name.Length is >= 2 and <= 30)
                {
                    found.Add(new GraphEntity(GraphEntity.KeyOf(name), name, m.Value.StartsWith('《') ? "work" : "term"));
                }
            }
            var distinct = found.DistinctBy(e => e.Key).Take(MaxPerSentence).ToList();
            foreach (var e in distinct)
            {
                entities.TryAdd(e.Key, e);
            }
            for (var i = 0; i < distinct.Count; i++)
            {
                for (var j = i + 1; j < distinct.Count; j++)
                {
                    var (a, b) = string.CompareOrdinal(distinct[i].Key, distinct[j].Key) < 0 ? (distinct[i], distinct[j]) : (distinct[j], distinct[i]);
                    relations.Add(new GraphRelation(a.Key, b.Key, CoOccurs));
                }
            }
        }
        return new ChunkGraph(chunkId, documentId, entities.Values.ToList(), relations.ToList());
    }

    private static string TrimLeadingNonNames(string run, bool startsSentence, HashSet<string> midSentence)
    {
        var words = run.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        while (words.Count > 0 && NotNames.Contains(words[0].ToLowerInvariant()))
        {
            words.RemoveAt(0);
            startsSentence = false;
        }
        if (words.Count == 1 && startsSentence && !IsAcronym(words[0]) && !midSentence.Contains(words[0]))
        {
            return "";
        }
        return words.Count == 1 && NotNames.Contains(words[0].ToLowerInvariant()) ? "" : string.Join(' ', words);
    }

    private static bool IsAcronym(string name) => name.Length <= 12 && !name.Contains(' ') && name.Count(char.IsUpper) >= 2;

    // One or more capitalised words (a word may carry inner capitals and digits: PostgreSQL, S3), separated by single spaces.
    [GeneratedRegex(@"\b\p{Lu}[\p{L}\p{Nd}]*(?: \p{Lu}[\p{L}\p{Nd}]*)*\b")]
    private static partial Regex Capitalised();

    [GeneratedRegex(@"「(?<t>[^」]+)」|《(?<t>[^》]+)》|“(?<t>[^”]+)”")]
    private static partial Regex CjkQuoted();
}
