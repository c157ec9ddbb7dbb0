using System.Globalization;
using System.Text;

namespace Platform.Data;

/// <summary>
/// BM25 as SQLite FTS5's bm25() computes it (k1 = 1.2, b = 0.75, idf = ln((N − n + 0.5) / (n + 0.5)) floored at 1e-6, a
/// row's length = its token count), so keyword candidates re-scored in process stay on FTS5's scale and order; and the choice
/// of the rarest query terms that select those candidates (<see cref="RarestWithin"/>).
/// </summary>
public static class Bm25
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    public static double Idf(long rows, long rowsWithTerm)
    {
        var idf = Math.Log((rows - rowsWithTerm + 0.5) / (rowsWithTerm + 0.5));
        return idf <= 0 ? 1e-6 : idf;
    }

    /// <summary>
    /// The score of one row's search text (tokens separated by spaces, as <see cref="TextTokenizer.ToSearchText"/> writes it)
    /// for the distinct <paramref name="terms"/> (already <see cref="Fold"/>ed) with their <paramref name="idf"/>.
    /// </summary>
    public static double Score(string searchText, IReadOnlyList<string> terms, IReadOnlyList<double> idf, double averageLength)
    {
        var tf = new int[terms.Count];
        var length = 0;
        var text = searchText.AsSpan();
        foreach (var range in text.Split(' '))
        {
            var token = text[range];
            if (token.IsEmpty)
            {
                continue;
            }
            length++;
            var folded = IsPlain(token) ? token : Fold(token.ToString()).AsSpan();
            for (var t = 0; t < terms.Count; t++)
            {
                if (folded.SequenceEqual(terms[t]))
                {
                    tf[t]++;
                }
            }
        }
        var score = 0.0;
        var norm = K1 * (1 - B + B * length / averageLength);
        for (var t = 0; t < terms.Count; t++)
        {
            score += idf[t] * (tf[t] * (K1 + 1)) / (tf[t] + norm);
        }
        return score;
    }

    /// <summary>
    /// Splits the query terms for candidate selection: the rarest, while together they occur in at most
    /// <paramref name="budget"/> rows (always at least the rarest one), and the commoner rest. A row containing none of the
    /// rare terms scores only from common ones, the lowest-idf part of the score.
    /// </summary>
    public static (List<string> Rare, List<string> Common) RarestWithin(IReadOnlyList<(string Term, long Rows)> terms, long budget)
    {
        var (rare, common) = (new List<string>(), new List<string>());
        long total = 0;
        foreach (var (term, rows) in terms.OrderBy(t => t.Rows).ThenBy(t => t.Term, StringComparer.Ordinal))
        {
            if (common.Count == 0 && (rare.Count == 0 || total + rows <= budget))
            {
                rare.Add(term);
                total += rows;
            }
            else
            {
                common.Add(term);
            }
        }
        return (rare, common);
    }

    /// <summary>
    /// The groups of terms that select candidates, any group matching: each rare term alone, and each pair of the (at most
    /// eight rarest) common ones. A row with several common terms can outscore one with a single rare term, and pairs
    /// intersect to few rows, so they cost little to rank.
    /// </summary>
    public static List<string[]> CandidateGroups(IEnumerable<string> rare, IEnumerable<string> common)
    {
        var groups = rare.Select(t => new[] { t }).ToList();
        var pairs = common.Take(8).ToList();
        for (var i = 0; i < pairs.Count; i++)
        {
            for (var j = i + 1; j < pairs.Count; j++)
            {
                groups.Add([pairs[i], pairs[j]]);
            }
        }
        return groups;
    }

    /// <summary>
    /// The form FTS5's unicode61 tokenizer (remove_diacritics 1) indexes a token under: lower case, without the diacritics
    /// of Latin letters. Tokens from <see cref="TextTokenizer"/> are already lower case.
    /// </summary>
    public static string Fold(string token)
    {
        if (IsPlain(token))
        {
            return token;
        }
        var decomposed = token.Normalize(NormalizationForm.FormD);
        var kept = new StringBuilder(decomposed.Length);
        var previous = '\0';
        foreach (var ch in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark && IsLatin(previous))
            {
                continue;
            }
            kept.Append(ch);
            previous = ch;
        }
        return kept.ToString().Normalize(NormalizationForm.FormC).ToLowerInvariant();
    }

    // Only Latin letters with diacritics (and combining marks) fold; ASCII, CJK and other scripts index as they are.
    private static bool IsPlain(ReadOnlySpan<char> token) =>
        !token.ContainsAnyInRange('\u0080', '\u036F') && !token.ContainsAnyInRange('\u1E00', '\u1EFF');

    private static bool IsLatin(char ch) => ch is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '\u00C0' and <= '\u024F' or >= '\u1E00' and <= '\u1EFF';
}
