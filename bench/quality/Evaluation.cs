using System.Diagnostics;
using Platform.Search;
using Platform.Workers.Ai.Answers;

namespace Platform.Bench.Quality;

/// <summary>Asks every question in each search mode and of the answerer, and scores the results against the labels.</summary>
public sealed class Evaluation(Corpus corpus, HybridSearch search, ExtractiveAnswerer answerer)
{
    public static readonly SearchMode[] Modes = [SearchMode.Hybrid, SearchMode.Keyword, SearchMode.Vector];

    public async Task WarmUpAsync(IReadOnlyList<Question> questions)
    {
        foreach (var q in questions.Take(10))
        {
            foreach (var mode in Modes)
            {
                await search.SearchAsync(new SearchRequest(Corpus.Tenant, q.Text, mode, 10));
            }
        }
    }

    public async Task<Report> RunAsync(IReadOnlyList<Question> questions)
    {
        var report = new Report();
        foreach (var q in questions)
        {
            foreach (var mode in Modes)
            {
                var clock = Stopwatch.StartNew();
                var hits = await search.SearchAsync(new SearchRequest(Corpus.Tenant, q.Text, mode, 10));
                report.SearchMs[mode].Add(clock.Elapsed.TotalMilliseconds);
                if (!q.Unanswerable)
                {
                    var rank = hits.ToList().FindIndex(h => IsRight(q, h.DocumentId, h.PageStart, h.PageEnd, h.Content)) + 1;
                    report.Ranks[mode].Add((q, rank));
                    if (rank != 1)
                    {
                        report.Details.Add($"{mode,-7} rank {(rank == 0 ? "-" : rank.ToString())} {q.Id}: {q.Text}  | top: " +
                            string.Join(" ; ", hits.Take(3).Select(h => $"{corpus.Names[h.DocumentId]} p{h.PageStart} «{Short(h.Content)}»")));
                    }
                }
            }
            var answerClock = Stopwatch.StartNew();
            var answer = await answerer.AnswerAsync(Corpus.Tenant, q.Text, 10, CancellationToken.None);
            report.AnswerMs.Add(answerClock.Elapsed.TotalMilliseconds);
            var outcome = Score(q, answer);
            report.Answers.Add((q, outcome));
            if (!outcome.Ok)
            {
                report.Details.Add($"answer  {q.Id}: {q.Text} expected «{q.ExpectedFact}» | found={answer.Found} " +
                    $"cites {string.Join(",", answer.Citations.Select(c => $"{corpus.Names[c.DocumentId]} p{c.PageStart}"))} «{Short(answer.Text, 300)}»");
            }
        }
        return report;
    }

    /// <summary>For reading a miss: the passages an answer may use and the best-scored sentences, with their scores.</summary>
    public async Task ExplainAsync(Retrieval retrieval, IReadOnlyList<Question> questions)
    {
        foreach (var q in questions)
        {
            var (terms, relevant) = await retrieval.RetrieveAsync(Corpus.Tenant, q.Text, 10, null, CancellationToken.None);
            Console.WriteLine($"== {q.Id}: {q.Text}  expected «{q.ExpectedFact}»  terms: {string.Join(" ", terms)}");
            foreach (var h in relevant)
            {
                Console.WriteLine($"  hit {corpus.Names[h.DocumentId]} p{h.PageStart} right={IsRight(q, h.DocumentId, h.PageStart, h.PageEnd, h.Content)} «{Short(h.Content, 120)}»");
            }
            foreach (var p in SentencePicker.Choose(q.Text, terms, relevant, 8))
            {
                Console.WriteLine($"  {p.Score:F3} {corpus.Names[p.Hit.DocumentId]} «{Short(p.Sentence, 160)}»");
            }
        }
    }

    private bool IsRight(Question q, Guid documentId, int pageStart, int pageEnd, string? content) =>
        q.File is not null && corpus.ByFile[q.File] == documentId
        && (q.Page is null || q.Page >= pageStart && q.Page <= pageEnd)
        && (content is null || Text.Contains(content, q.Passage ?? ""));

    private AnswerOutcome Score(Question q, Answer answer)
    {
        var sameLanguage = Text.HasCjk(answer.Text) == (q.Lang == "zh");
        if (q.Unanswerable)
        {
            return new AnswerOutcome(true, answer.Found, false, false, sameLanguage);
        }
        var fact = answer.Found && Text.Contains(answer.Text, q.ExpectedFact);
        var cites = answer.Citations.Any(c => IsRight(q, c.DocumentId, c.PageStart, c.PageEnd, null));
        return new AnswerOutcome(false, answer.Found, fact, cites, sameLanguage);
    }

    private static string Short(string s, int max = 90)
    {
        var flat = s.ReplaceLineEndings(" ");
        return flat.Length <= max ? flat : flat[..max] + "…";
    }
}

/// <param name="Found">The answerer said it found something.</param>
/// <param name="Fact">The labelled fact is in the answer text.</param>
/// <param name="Cites">A citation names the right file (and page, when labelled).</param>
/// <param name="Language">The answer (or "not found") is in the question's language.</param>
public sealed record AnswerOutcome(bool Unanswerable, bool Found, bool Fact, bool Cites, bool Language)
{
    public bool Ok => Unanswerable ? !Found && Language : Fact && Cites;
}
