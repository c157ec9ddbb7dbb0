using System.Globalization;
using System.Text;

namespace Platform.Data;

/// <summary>
/// One tokenization for indexing and querying, so both sides agree. Words of alphabetic scripts are lower-cased
/// and folded; runs of CJK ideographs become overlapping bigrams (北京大学 → 北京 京大 大学), because Chinese has
/// no spaces and a bigram index finds words without a dictionary.
/// </summary>
public static class TextTokenizer
{
    private static readonly HashSet<string> StopWords =
    [
        "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "has", "have", "how", "i", "in",
        "is", "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "what", "when", "where", "which",
        "who", "why", "will", "with", "you",
    ];

    // Question words and particles of Chinese questions: as bigrams they match nearly every passage (多少 → 是多, 多少; 的).
    // Longest first, so 为什么 goes before 什么.
    private static readonly string[] ChineseQuestionWords =
    [
        "为什么", "是什么", "是多少", "是哪个", "是哪些", "是哪里", "是哪天", "是不是", "有哪些", "有多少", "请问",
        "什么", "哪个", "哪些", "哪里", "哪儿", "哪天", "哪一", "哪种", "多少", "几个", "几种", "几级", "几年", "怎么", "怎样",
        "如何", "是否", "谁", "吗", "呢", "的", "是", "了", "哪", "几",
    ];

    /// <summary>
    /// The tokens of a query: as <see cref="Tokenize"/>, with Chinese question words and particles treated as separators, so
    /// that 代号 Potato 的版本号是多少 searches 代号 potato 版本 本号 rather than also 号是 是多 多少. Only the query side
    /// changes: stored search text keeps every bigram, so no re-index is needed.
    /// </summary>
    public static List<string> TokenizeQuery(string query)
    {
        var text = query.Normalize(NormalizationForm.FormKC);
        if (text.Any(IsCjk))
        {
            foreach (var word in ChineseQuestionWords)
            {
                text = text.Replace(word, " ", StringComparison.Ordinal);
            }
        }
        var tokens = Tokenize(text);
        var meaningful = tokens.Where(t => t.Length > 1 || !IsCjk(t[0])).ToList();
        return meaningful.Count > 0 ? meaningful : tokens.Count > 0 ? tokens : Tokenize(query);
    }

    /// <summary>
    /// An English plural's singular (plain lower-case ASCII words of 4+ letters: workers → worker, libraries → library,
    /// boxes → box; not "class", "status", "analysis"), else the token itself. Used where words are compared rather than
    /// indexed (answer sentences): changing the indexed form would need a re-index.
    /// </summary>
    public static string Singular(string token) =>
        token.Length < 4 || !token.All(char.IsAsciiLetterLower) || !token.EndsWith('s') || token.EndsWith("ss", StringComparison.Ordinal)
            || token.EndsWith("us", StringComparison.Ordinal) || token.EndsWith("is", StringComparison.Ordinal) ? token
        : token.EndsWith("ies", StringComparison.Ordinal) ? token[..^3] + "y"
        : token.EndsWith("sses", StringComparison.Ordinal) || token.EndsWith("xes", StringComparison.Ordinal)
            || token.EndsWith("ches", StringComparison.Ordinal) || token.EndsWith("shes", StringComparison.Ordinal) ? token[..^2]
        : token[..^1];

    public static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var word = new StringBuilder();
        var cjk = new List<char>();
        foreach (var ch in text.Normalize(NormalizationForm.FormKC))
        {
            if (IsCjk(ch))
            {
                FlushWord(word, tokens);
                cjk.Add(ch);
            }
            else if (char.IsLetterOrDigit(ch))
            {
                FlushCjk(cjk, tokens);
                word.Append(char.ToLowerInvariant(ch));
            }
            else
            {
                FlushWord(word, tokens);
                FlushCjk(cjk, tokens);
            }
        }
        FlushWord(word, tokens);
        FlushCjk(cjk, tokens);
        return tokens;
    }

    /// <summary>The text the keyword index stores: the tokens, space-separated.</summary>
    public static string ToSearchText(string text) => string.Join(' ', Tokenize(text));

    public static bool IsCjk(char ch) =>
        ch is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\uF900' and <= '\uFAFF'
            or >= '\u3040' and <= '\u30FF' || CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.OtherLetter && ch >= '\u2E80' && ch <= '\u2FFF';

    private static void FlushWord(StringBuilder word, List<string> tokens)
    {
        if (word.Length == 0)
        {
            return;
        }
        var w = word.ToString();
        word.Clear();
        if (!StopWords.Contains(w))
        {
            tokens.Add(w);
        }
    }

    private static void FlushCjk(List<char> run, List<string> tokens)
    {
        if (run.Count == 1)
        {
            tokens.Add(run[0].ToString());
        }
        for (var i = 0; i + 1 < run.Count; i++)
        {
            tokens.Add(string.Concat(run[i], run[i + 1]));
        }
        run.Clear();
    }
}
