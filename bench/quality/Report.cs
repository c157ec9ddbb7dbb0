using Platform.Search;

namespace Platform.Bench.Quality;

public sealed class Report
{
    public Dictionary<SearchMode, List<(Question Q, int Rank)>> Ranks { get; } = Evaluation.Modes.ToDictionary(m => m, _ => new List<(Question, int)>());

    public Dictionary<SearchMode, List<double>> SearchMs { get; } = Evaluation.Modes.ToDictionary(m => m, _ => new List<double>());

    public List<(Question Q, AnswerOutcome Outcome)> Answers { get; } = [];

    public List<double> AnswerMs { get; } = [];

    public List<string> Details { get; } = [];

    public void Print(string label, IReadOnlyList<Question> questions, int files, int chunks)
    {
        var answerable = questions.Count(q => !q.Unanswerable);
        Console.WriteLine($"## {label}: {questions.Count} questions ({answerable} answerable, {questions.Count(q => q.Lang == "zh")} Chinese), " +
            $"{files} files, {chunks} chunks\n");
        Console.WriteLine("| mode | hit@1 | hit@3 | MRR@10 | hit@3 en | hit@3 zh | p50 ms | p99 ms |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var (mode, ranks) in Ranks)
        {
            Console.WriteLine($"| {mode.ToString().ToLowerInvariant()} | {HitAt(ranks, 1):F2} | {HitAt(ranks, 3):F2} | {Mrr(ranks):F3} | " +
                $"{HitAt(ranks.Where(r => r.Q.Lang == "en").ToList(), 3):F2} | {HitAt(ranks.Where(r => r.Q.Lang == "zh").ToList(), 3):F2} | " +
                $"{Text.Ms(Percentile(SearchMs[mode], 0.5))} | {Text.Ms(Percentile(SearchMs[mode], 0.99))} |");
        }
        var yes = Answers.Where(a => !a.Q.Unanswerable).Select(a => a.Outcome).ToList();
        var no = Answers.Where(a => a.Q.Unanswerable).Select(a => a.Outcome).ToList();
        Console.WriteLine();
        Console.WriteLine("| answers (extractive) | fact present | cites right file+page | fact and citation | wrongly \"not found\" | " +
            "not-found correct | not-found in question's language | p50 ms | p99 ms |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        Console.WriteLine($"| all | {Share(yes, o => o.Fact)} | {Share(yes, o => o.Cites)} | {Share(yes, o => o.Ok)} | " +
            $"{yes.Count(o => !o.Found)} of {yes.Count} | {Share(no, o => !o.Found)} | {Share(no, o => o.Ok)} | " +
            $"{Text.Ms(Percentile(AnswerMs, 0.5))} | {Text.Ms(Percentile(AnswerMs, 0.99))} |");
        foreach (var lang in new[] { "en", "zh" })
        {
            var y = Answers.Where(a => !a.Q.Unanswerable && a.Q.Lang == lang).Select(a => a.Outcome).ToList();
            var n = Answers.Where(a => a.Q.Unanswerable && a.Q.Lang == lang).Select(a => a.Outcome).ToList();
            Console.WriteLine($"| {lang} | {Share(y, o => o.Fact)} | {Share(y, o => o.Cites)} | {Share(y, o => o.Ok)} | " +
                $"{y.Count(o => !o.Found)} of {y.Count} | {Share(n, o => !o.Found)} | {Share(n, o => o.Ok)} | | |");
        }
    }

    private static double HitAt(List<(Question Q, int Rank)> ranks, int k) =>
        ranks.Count == 0 ? 0 : (double)ranks.Count(r => r.Rank is > 0 && r.Rank <= k) / ranks.Count;

    private static double Mrr(List<(Question Q, int Rank)> ranks) =>
        ranks.Count == 0 ? 0 : ranks.Sum(r => r.Rank > 0 ? 1.0 / r.Rank : 0) / ranks.Count;

    private static string Share(List<AnswerOutcome> outcomes, Func<AnswerOutcome, bool> ok) =>
        outcomes.Count == 0 ? "–" : $"{(double)outcomes.Count(ok) / outcomes.Count:F2} ({outcomes.Count(ok)}/{outcomes.Count})";

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return 0;
        }
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }
}
