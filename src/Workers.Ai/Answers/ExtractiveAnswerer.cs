using Platform.Infrastructure.Search;

namespace Platform.Workers.Ai.Answers;

/// <summary>
/// The answerer used when no chat model is configured: it retrieves passages and quotes the sentences that share
/// the most query terms, each with its source number. It invents nothing, and says so when nothing relevant exists.
/// </summary>
public sealed class ExtractiveAnswerer(HybridSearch search)
{
    public const string Mode = "extractive";
    public const string NotFoundText = "I could not find anything about this in the indexed documents.";
    private const int MaxSentences = 3;

    public async Task<Answer> AnswerAsync(string tenantId, string question, int topK, CancellationToken ct)
    {
        var terms = TextTokenizer.Tokenize(question).ToHashSet();
        var hits = await search.SearchAsync(new SearchRequest(tenantId, question, SearchMode.Hybrid, Math.Clamp(topK, 1, 20)), ct);
        var relevant = hits.Where(h => Coverage(terms, TextTokenizer.Tokenize(h.HeadingPath + " " + h.Content)) >= MinimumCoverage(terms.Count))
            .ToList();
        if (terms.Count == 0 || relevant.Count == 0)
        {
            return new Answer(NotFoundText, false, Mode, []);
        }

        var picked = relevant
            .SelectMany((hit, rank) => SentenceSplitter.Split(hit.Content, 600)
                .Select(s => (Hit: hit, Rank: rank, Sentence: hit.Content[s.Start..s.End])))
            .Select(x => (x.Hit, x.Rank, x.Sentence, Score: Coverage(terms, TextTokenizer.Tokenize(x.Sentence))))
            .Where(x => x.Score > 0)
            .OrderByDescending(x => x.Score).ThenBy(x => x.Rank)
            .Take(MaxSentences)
            .ToList();
        if (picked.Count == 0)
        {
            return new Answer(NotFoundText, false, Mode, []);
        }

        var citations = new List<Citation>();
        var parts = new List<string>();
        foreach (var (hit, _, sentence, _) in picked)
        {
            var number = citations.FindIndex(c => c.ChunkId == hit.ChunkId) + 1;
            if (number == 0)
            {
                number = citations.Count + 1;
                citations.Add(new Citation(number, hit.DocumentId, hit.ChunkId, hit.PageStart, hit.PageEnd, hit.HeadingPath, hit.Snippet));
            }
            parts.Add($"{sentence} [{number}]");
        }
        return new Answer(string.Join(" ", parts), true, Mode, citations);
    }

    // A passage counts as relevant when it shares a good part of the question's terms, not merely one common word.
    private static double MinimumCoverage(int termCount) => termCount <= 2 ? 0.5 : 0.34;

    private static double Coverage(HashSet<string> terms, List<string> tokens) =>
        terms.Count == 0 ? 0 : (double)terms.Count(tokens.ToHashSet().Contains) / terms.Count;
}
