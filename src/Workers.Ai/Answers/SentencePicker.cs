using System.Text;
using Platform.Data;
using Platform.Search;

namespace Platform.Workers.Ai.Answers;

/// <summary>
/// Chooses the sentences an extractive answer quotes. A query term weighs more the fewer candidate sentences hold it
/// (ln(1 + n / df), so "jaunty" outweighs "codename" in a table); a question about a quantity or date prefers sentences with
/// a number it does not name itself; code, box-drawing, dot-leader and question lines (headings of FAQs and tables of
/// contents) are never quoted, nor a sentence holding the question itself (an example of asking it); and no sentence is quoted twice, whether it repeats in overlapping chunks or in duplicate documents.
/// </summary>
public static class SentencePicker
{
    private static readonly string[] QuantityWords =
        ["how many", "how much", "how long", "when", "what year", "which year", "date", "number", "多少", "几", "哪天", "哪一年", "何时", "什么时候", "日期"];

    // A number the question does not already name (a date in a release table row, not the "11" of "Debian 11").
    private const double NumberBonus = 0.2;

    // Search ranks the passage that answers first for 80 % of questions: among sentences that match about as well, the
    // higher-ranked passage's wins.
    private const double RankPenalty = 0.02;

    public sealed record Pick(SearchHit Hit, string Sentence, double Score);

    public static List<Pick> Choose(string question, IReadOnlySet<string> terms, IReadOnlyList<SearchHit> hits, int max)
    {
        var candidates = hits
            .SelectMany((hit, rank) => Sentences(hit.Content).Select(s => (Hit: hit, Rank: rank, s.Sentence, s.Tokens)))
            .ToList();
        var weights = terms.ToDictionary(t => t, t => Math.Log(1 + (double)candidates.Count / Math.Max(1, candidates.Count(c => c.Tokens.Contains(t)))));
        var total = weights.Values.Sum();
        var wantsNumber = QuantityWords.Any(w => question.Contains(w, StringComparison.OrdinalIgnoreCase));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var asked = Key(question);
        return candidates
            .Where(c => asked.Length < 8 || !Key(c.Sentence).Contains(asked, StringComparison.Ordinal))
            .Select(c => (c.Hit, c.Rank, c.Sentence,
                Score: (total == 0 ? 0 : terms.Where(c.Tokens.Contains).Sum(t => weights[t]) / total)
                    + (wantsNumber && c.Tokens.Any(t => char.IsDigit(t[0]) && !terms.Contains(t)) ? NumberBonus : 0)))
            .Where(c => c.Score > 0.1)
            .OrderByDescending(c => c.Score - RankPenalty * c.Rank).ThenBy(c => c.Rank)
            .Where(c => seen.Add(Key(c.Sentence)))
            .Take(max)
            .Select(c => new Pick(c.Hit, c.Sentence, c.Score))
            .ToList();
    }

    /// <summary>
    /// The quotable sentences of a passage with the tokens each is scored by. Lines wrapped for width (plain text, PDF) are
    /// joined first, so a sentence is not quoted from its middle. Some sentences mean little alone and are quoted with their
    /// context: a table row is scored with its header's column names ("2.0 | Hamm" answers a question about Hamm's version
    /// only under "version | codename"); a list item is quoted after the sentence that introduces the list; a sentence that
    /// the next one refers back to ("… a default paper size. This setting will be kept in /etc/papersize.") comes with it.
    /// </summary>
    public static IEnumerable<(string Sentence, HashSet<string> Tokens)> Sentences(string content)
    {
        var text = Unwrap(content);
        var firstLine = text.Split('\n', 2)[0];
        var header = firstLine.Contains(" | ", StringComparison.Ordinal) ? TextTokenizer.Tokenize(firstLine) : [];
        var spans = SentenceSplitter.Split(text, 600);
        var sentences = spans.Select(span => text[span.Start..span.End].Trim()).ToList();
        string? lead = null;
        for (var i = 0; i < sentences.Count; i++)
        {
            var sentence = sentences[i];
            var isRow = sentence.Contains(" | ", StringComparison.Ordinal);
            var isItem = sentence.Length > 2 && StartsItem(sentence);
            if (spans[i].Start == 0 && header.Count > 0 || !IsQuotable(sentence))
            {
                continue; // the header row names columns, it answers nothing
            }
            var quoted = isItem && lead is not null ? lead + " " + sentence : sentence;
            if (!isItem && !isRow && i + 1 < sentences.Count && RefersBack(sentences[i + 1]) && IsQuotable(sentences[i + 1]))
            {
                quoted += " " + sentences[i + 1];
            }
            var tokens = TextTokenizer.Tokenize(quoted).Select(TextTokenizer.Singular).ToHashSet();
            if (header.Count > 0 && isRow)
            {
                tokens.UnionWith(header.Select(TextTokenizer.Singular));
            }
            lead = isItem ? lead : isRow ? null : sentence;
            yield return (quoted, tokens);
        }
    }

    private static readonly string[] BackReferences = ["This ", "These ", "That ", "It ", "They ", "Such ", "这", "它", "此", "该"];

    private static bool RefersBack(string sentence) => BackReferences.Any(w => sentence.StartsWith(w, StringComparison.Ordinal));

    /// <summary>Joins a line to the next where the break only wraps a sentence: not after a sentence's end or a colon, not
    /// before a list item, and never in a table. Chinese lines join without a space.</summary>
    public static string Unwrap(string content)
    {
        var lines = content.Split('\n').Select(l => l.Trim()).ToList();
        var text = new StringBuilder(content.Length);
        for (var i = 0; i < lines.Count; i++)
        {
            text.Append(lines[i]);
            if (i + 1 == lines.Count)
            {
                break;
            }
            var (line, next) = (lines[i], lines[i + 1]);
            if (line.Length > 0 && next.Length > 0 && line[^1] is '.' or '/' or '-' && char.IsLower(next[0]) && LastWord(line).Contains('/'))
            {
                continue; // a URL or path broken at the line's end: "…/msg00011." + "html)"
            }
            var wraps = line.Length > 0 && next.Length > 0 && !".!?。！？；:：".Contains(line[^1])
                && !line.Contains(" | ", StringComparison.Ordinal) && !next.Contains(" | ", StringComparison.Ordinal)
                && !StartsItem(next) && !IsCommandLine(line);
            text.Append(!wraps ? "\n" : TextTokenizer.IsCjk(line[^1]) && TextTokenizer.IsCjk(next[0]) ? "" : " ");
        }
        return text.ToString();
    }

    private static string LastWord(string line) => line[(line.LastIndexOf(' ') + 1)..];

    private static bool StartsItem(string line) =>
        line[0] is '•' or '*' or '-' or '·' or '$' or '#' or '>' or '|' or '^' or '['
        || line.Length > 2 && char.IsDigit(line[0]) && line.TakeWhile(char.IsDigit).Count() is var n && n < line.Length && line[n] is '.' or ')' && (n + 1 == line.Length || line[n + 1] == ' ');

    /// <summary>
    /// A shell command as documentation shows it: a lower-case program name, then an option flag (<c>curl -H …</c>,
    /// <c>dpkg --status foo</c>). Prose starts with a capital or has no flag after its first word. A command is quotable (it
    /// can be the answer to "how do I …", with the caption line before it), but the next line is never joined to it.
    /// </summary>
    public static bool IsCommandLine(string line)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length >= 2 && words[0].All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.' or '/')
            && char.IsAsciiLetterLower(words[0][0])
            && words.Skip(1).Any(w => w.Length >= 2 && w[0] == '-' && (char.IsAsciiLetter(w[1]) || w[1] == '-'));
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
