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
        return (terms, hits.Where(h =>
        {
            var tokens = TextTokenizer.Tokenize(h.HeadingPath + " " + h.Content).ToHashSet();
            var counted = Countable(terms, tokens);
            return Coverage(counted, tokens) >= (minimumCoverage ?? MinimumCoverage(counted.Count));
        }).ToList());
    }

    // A passage counts as relevant when it shares a good part of the question's terms, not merely one common word; a question
    // of one or two terms (法国 首都) needs them all, or one place name would make any passage naming it an answer.
    public static double MinimumCoverage(int termCount) => termCount <= 2 ? 1.0 : 0.34;

    public static double Coverage(IReadOnlySet<string> terms, IReadOnlySet<string> tokens) =>
        terms.Count == 0 ? 0 : (double)terms.Count(tokens.Contains) / terms.Count;

    /// <summary>The question's terms a passage could hold: a passage without Chinese (an English table asked about in Chinese,
    /// 人民币 Yuan Renminbi 的货币代码) is judged by the question's Latin-script names and numbers alone.</summary>
    public static IReadOnlySet<string> Countable(HashSet<string> terms, IReadOnlySet<string> tokens)
    {
        if (tokens.Any(t => TextTokenizer.IsCjk(t[0])))
        {
            return terms;
        }
        var latin = terms.Where(t => !TextTokenizer.IsCjk(t[0])).ToHashSet();
        return latin.Count > 0 ? latin : terms;
    }
}
