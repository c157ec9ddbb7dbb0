using Platform.Data;

namespace Platform.Workers.Ai.Answers;

/// <summary>
/// The answerer used when no chat model is configured: it retrieves passages and quotes the sentences that share
/// the most query terms, each with its source number. It invents nothing, and says so when nothing relevant exists.
/// </summary>
public sealed class ExtractiveAnswerer(Retrieval retrieval) : IAnswerer
{
    public const string Mode = "extractive";
    public const string NotFoundText = Retrieval.NotFoundText;
    private const int MaxSentences = 3;

    public Task<Answer> AnswerAsync(string tenantId, string question, int topK, CancellationToken ct) =>
        AnswerAsync(tenantId, question, topK, _ => Task.CompletedTask, ct);

    public async Task<Answer> AnswerAsync(string tenantId, string question, int topK, Func<string, Task> onToken, CancellationToken ct)
    {
        var (terms, relevant) = await retrieval.RetrieveAsync(tenantId, question, topK, null, ct);
        var picked = relevant
            .SelectMany((hit, rank) => SentenceSplitter.Split(hit.Content, 600)
                .Select(s => (Hit: hit, Rank: rank, Sentence: hit.Content[s.Start..s.End])))
            .Select(x => (x.Hit, x.Rank, x.Sentence, Score: Retrieval.Coverage(terms, TextTokenizer.Tokenize(x.Sentence))))
            .Where(x => x.Score > 0)
            .OrderByDescending(x => x.Score).ThenBy(x => x.Rank)
            .Take(MaxSentences)
            .ToList();
        if (picked.Count == 0)
        {
            await onToken(NotFoundText);
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
            var part = $"{sentence} [{number}]";
            await onToken(parts.Count == 0 ? part : " " + part);
            parts.Add(part);
        }
        return new Answer(string.Join(" ", parts), true, Mode, citations);
    }
}
