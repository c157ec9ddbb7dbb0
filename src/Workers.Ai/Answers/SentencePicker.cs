using System.Text;
using Platform.Data;
using Platform.Search;

namespace Platform.Workers.Ai.Answers;

/// <summary>
/// Chooses the sentences an extractive answer quotes. A query term weighs more the fewer candidate sentences hold it
/// (ln(1 + n / df), so "jaunty" outweighs "codename" in a table); a question about a quantity or date prefers sentences with
/// a number it does not name itself; code, box-drawing, dot-leader and question lines (headings of FAQs and tables of contents) are never quoted; and
/// no sentence is quoted twice, whether it repeats in overlapping chunks or in duplicate documents.
/// </summary>
public static class SentencePicker
{
    private static readonly string[] QuantityWords =
        ["how many", "how much", "how long", "when", "what year", "which year", "date", "number", "多少", "几", "哪天", "哪一年", "何时", "什么时候", "日期"];

    // A number the question does not already name (a date in a release table row, not the "11" of "Debian 11").
    private const double NumberBonus = 0.2;

    public sealed record Pick(SearchHit Hit, string Sentence, double Score);

    public static List<Pick> Choose(string question, IReadOnlySet<string> terms, IReadOnlyList<SearchHit> hits, int max)
    {
        var candidates = hits
            .SelectMany((hit, rank) => SentenceSplitter.Split(hit.Content, 600)
                .Select(s => (Hit: hit, Rank: rank, Sentence: hit.Content[s.Start..s.End].Trim())))
            .Where(c => IsQuotable(c.Sentence) && !IsTableHeader(c.Hit.Content, c.Sentence))
            .Select(c => (c.Hit, c.Rank, c.Sentence, Tokens: TextTokenizer.Tokenize(c.Sentence).ToHashSet()))
            .ToList();
        var weights = terms.ToDictionary(t => t, t => Math.Log(1 + (double)candidates.Count / Math.Max(1, candidates.Count(c => c.Tokens.Contains(t)))));
        var total = weights.Values.Sum();
        var wantsNumber = QuantityWords.Any(w => question.Contains(w, StringComparison.OrdinalIgnoreCase));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return candidates
            .Select(c => (c.Hit, c.Rank, c.Sentence,
                Score: (total == 0 ? 0 : terms.Where(c.Tokens.Contains).Sum(t => weights[t]) / total)
                    + (wantsNumber && c.Tokens.Any(t => char.IsDigit(t[0]) && !terms.Contains(t)) ? NumberBonus : 0)))
            .Where(c => c.Score > 0.1)
            .OrderByDescending(c => c.Score).ThenBy(c => c.Rank)
            .Where(c => seen.Add(Key(c.Sentence)))
            .Take(max)
            .Select(c => new Pick(c.Hit, c.Sentence, c.Score))
            .ToList();
    }

    /// <summary>Prose or a table row; not code, drawings, leaders, a question, or a fragment without a word.</summary>
    public static bool IsQuotable(string sentence)
    {
        if (sentence.Length < 4 || !sentence.Any(char.IsLetter))
        {
            return false;
        }
        var trimmed = sentence.TrimEnd();
        if (trimmed.EndsWith('?') || trimmed.EndsWith('？'))
        {
            return false;
        }
        if (sentence.Any(c => c is >= '\u2500' and <= '\u257F') || sentence.Contains(". . .", StringComparison.Ordinal)
            || sentence.Contains("....", StringComparison.Ordinal) || sentence.Contains("····", StringComparison.Ordinal))
        {
            return false;
        }
        if (sentence.StartsWith("$ ", StringComparison.Ordinal) || sentence.StartsWith("# ", StringComparison.Ordinal)
            || sentence.StartsWith("//", StringComparison.Ordinal) || sentence.StartsWith("```", StringComparison.Ordinal))
        {
            return false;
        }
        var symbols = sentence.Count(c => "{}[]();=<>\\`~^".Contains(c));
        return symbols * 8 < sentence.Length;
    }

    /// <summary>Each table chunk starts with its header row: it names columns, it answers nothing.</summary>
    private static bool IsTableHeader(string content, string sentence) =>
        sentence.Contains(" | ", StringComparison.Ordinal) && content.StartsWith(sentence, StringComparison.Ordinal);

    /// <summary>Sentences compare without case, white space or punctuation, so copies differing in line breaks are one sentence.</summary>
    private static string Key(string sentence)
    {
        var key = new StringBuilder(sentence.Length);
        foreach (var ch in sentence.Normalize(NormalizationForm.FormKC))
        {
            if (char.IsLetterOrDigit(ch))
            {
                key.Append(char.ToLowerInvariant(ch));
            }
        }
        return key.ToString();
    }
}
