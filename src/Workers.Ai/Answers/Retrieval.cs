using Platform.Data;
using Platform.Search;

namespace Platform.Workers.Ai.Answers;

/// <summary>
/// The passages an answer may use: hybrid search hits that share enough of the question's terms. Terms and passage words are
/// compared in the singular (a question about "the backup worker" matches "Workers.Backup").
/// </summary>
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
        var terms = TermsOf(question);
        if (terms.Count == 0)
        {
            return (terms, []);
        }
        var hits = await search.SearchAsync(new SearchRequest(tenantId, question, SearchMode.Hybrid, Math.Clamp(topK, 1, 20)), ct);
        return (terms, hits.Where(h =>
        {
            var tokens = TextTokenizer.Tokenize(h.HeadingPath + " " + h.Content).Select(TextTokenizer.Singular).ToHashSet();
            var counted = Countable(terms, tokens);
            return minimumCoverage is { } floor ? Coverage(counted, tokens) >= floor : IsRelevant(counted, tokens);
        }).ToList());
    }

    /// <summary>The words an answer is judged by: the query's tokens, not the words questions are built with, in the singular.</summary>
    public static HashSet<string> TermsOf(string question) =>
        TextTokenizer.TokenizeQuery(question).Where(t => !FunctionWords.Contains(t)).Select(TextTokenizer.Singular).ToHashSet();

    // Words a question is built with rather than about (the search's own stop list keeps them: they cost it nothing).
    private static readonly HashSet<string> FunctionWords =
        ["did", "had", "many", "much", "there", "their", "they", "my", "your", "me", "we", "our", "would", "should", "could", "if"];

    /// <summary>A passage is relevant when it holds every term of a one- or two-term question (法国 首都: one place name alone
    /// makes no answer), else at least two terms and a third of them, not merely one common word.</summary>
    public static bool IsRelevant(IReadOnlySet<string> terms, IReadOnlySet<string> tokens)
    {
        var matched = terms.Count(tokens.Contains);
        return terms.Count <= 2 ? matched == terms.Count && matched > 0 : matched >= 2 && matched * 3 >= terms.Count;
    }

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
