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
