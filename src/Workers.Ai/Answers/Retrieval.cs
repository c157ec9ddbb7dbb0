using Platform.Data;
using Platform.Search;

namespace Platform.Workers.Ai.Answers;

/// <summary>The passages an answer may use: hybrid search hits that share enough of the question's terms.</summary>
public sealed class Retrieval(HybridSearch search)
{
    public const string NotFoundText = "I could not find anything about this in the indexed documents.";
    public const string NotFoundTextChinese = "在已索引的文档中没有找到与此相关的内容。";

    /// <summary>"Not found" in the question's language: Chinese when the question has Chinese characters, else English.</summary>
    public static string NotFoundFor(string question) =>
        question.Any(c => TextTokenizer.IsCjk(c)) ? NotFoundTextChinese : NotFoundText;

    public async Task<(HashSet<string> Terms, List<SearchHit> Hits)> RetrieveAsync(string tenantId, string question, int topK,
        double? minimumCoverage, CancellationToken ct)
    {
        var terms = TextTokenizer.TokenizeQuery(question).ToHashSet();
        if (terms.Count == 0)
        {
            return (terms, []);
        }
        var hits = await search.SearchAsync(new SearchRequest(tenantId, question, SearchMode.Hybrid, Math.Clamp(topK, 1, 20)), ct);
        var floor = minimumCoverage ?? MinimumCoverage(terms.Count);
        return (terms, hits.Where(h => Coverage(terms, TextTokenizer.Tokenize(h.HeadingPath + " " + h.Content)) >= floor).ToList());
    }

    // A passage counts as relevant when it shares a good part of the question's terms, not merely one common word.
    public static double MinimumCoverage(int termCount) => termCount <= 2 ? 0.5 : 0.34;

    public static double Coverage(HashSet<string> terms, List<string> tokens) =>
        terms.Count == 0 ? 0 : (double)terms.Count(tokens.ToHashSet().Contains) / terms.Count;
}
