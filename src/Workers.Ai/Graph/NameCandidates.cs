using System.Text.RegularExpressions;

namespace Platform.Workers.Ai.Graph;

/// <summary>
/// The names one sentence offers. Latin words are matched by script, so a name next to Chinese stays itself ("使用Docker部署"
/// gives Docker, never "Docker部署"). A name is a run of at most four capitalised words (split at function words), an acronym
/// or a CamelCase word, not part of a path, variable or option. Chinese terms are those set off by 「」『』【】“” (2–8 Han
/// characters, so a quoted clause is not a name) and titles in 《》; without a dictionary, unmarked Chinese is not segmented.
/// Software is often written only in lower case; a lower-case word its document also uses as a path segment (/etc/nginx,
/// /var/log/nginx) and several times in prose is taken for a name (the extractor decides with the counts).
/// </summary>
public static partial class NameCandidates
{
    public const int MaxWords = 4;
    public const int MinHan = 2;
    public const int MaxHan = 8;
    public const int MaxTitle = 16;

    public sealed record Candidate(string Name, string Kind, bool StartsSentence);

    /// <summary>Latin words of a sentence (letters with Latin diacritics, then letters or digits): every script boundary ends one.</summary>
    public static MatchCollection Words(string sentence) => Word().Matches(sentence);

    public static IEnumerable<Candidate> Find(string sentence)
    {
        var words = Words(sentence);
        if (IsShouted(words))
        {
            yield break; // an all-capitals heading line ("BASICS OF THE DEBIAN PACKAGE") names nothing by itself
        }
        var run = new List<Match>();
        for (var i = 0; i <= words.Count; i++)
        {
            var w = i < words.Count ? words[i] : null;
            var capitalised = w is not null && Capitalised(sentence, w);
            var joins = w is not null && run.Count > 0 && w.Index == run[^1].Index + run[^1].Length + 1 && sentence[w.Index - 1] == ' ';
            if (!capitalised || !joins)
            {
                if (Flush(sentence, run) is { } candidate)
                {
                    yield return candidate;
                }
                run.Clear();
            }
            if (capitalised)
            {
                run.Add(w!);
            }
        }
        foreach (Match m in Quoted().Matches(sentence))
        {
            var text = m.Groups["t"].Value.Trim();
            if (m.Value.StartsWith('《'))
            {
                if (text.Length is >= MinHan and <= MaxTitle && !text.Any(c => "，。！？；：、,;:!?".Contains(c)))
                {
                    yield return new Candidate(text, "work", false);
                }
            }
            else if (text.Length is >= MinHan and <= MaxHan && text.All(IsHan) && !GraphStopWords.Chinese.Contains(text))
            {
                yield return new Candidate(text, "term", false);
            }
            else if (LatinTerm().IsMatch(text) && !GraphStopWords.IsGenericWord(text))
            {
                yield return new Candidate(text, "term", false); // “unstable”: a quoted Latin word in Chinese text
            }
        }
    }

    public static bool IsHan(char c) => c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF';

    public static bool IsAcronym(string name) => name.Length is >= 2 and <= 12 && !name.Contains(' ') && name.Count(char.IsUpper) >= 2;

    private static Candidate? Flush(string sentence, List<Match> run)
    {
        if (run.Count is 0 or > MaxWords || run.All(w => GraphStopWords.IsGenericWord(w.Value)))
        {
            return null; // longer runs are title-case headings, not names
        }
        var name = string.Join(' ', run.Select(w => w.Value));
        if (name.Length < 2)
        {
            return null;
        }
        var startsSentence = !sentence.AsSpan(0, run[0].Index).ContainsAnyExcept(" \t\"'“‘([*-•#>0123456789.");
        return new Candidate(name, IsAcronym(name) ? "acronym" : "term", startsSentence);
    }

    /// <summary>Lower-case words standing alone in prose (not in a path, option or file name): "run nginx" gives nginx.</summary>
    public static IEnumerable<string> LowerCaseProse(string sentence) =>
        Words(sentence).Where(w => char.IsLower(w.Value[0]) && Standalone(sentence, w)).Select(w => w.Value);

    /// <summary>Lower-case words that name a directory or file in a path: /etc/nginx/ and /var/log/nginx give nginx.</summary>
    public static IEnumerable<string> PathWords(string sentence) => PathWord().Matches(sentence).Select(m => m.Groups["w"].Value);

    /// <summary>Capitalised, not a function word, and not inside a path, variable, option or file name ($HOME, /etc/X, -Wall, Makefile.am).</summary>
    private static bool Capitalised(string sentence, Match w)
    {
        return char.IsUpper(w.Value[0]) && !GraphStopWords.Function.Contains(w.Value) && Standalone(sentence, w);
    }

    private static bool Standalone(string sentence, Match w)
    {
        var before = w.Index > 0 ? sentence[w.Index - 1] : ' ';
        var end = w.Index + w.Length;
        var after = end < sentence.Length ? sentence[end] : ' ';
        var afterNext = end + 1 < sentence.Length ? sentence[end + 1] : ' ';
        return !"$/\\@%=_<-.".Contains(before) && !"/_=(@<>".Contains(after) && !(after is '.' or '-' && char.IsLetter(afterNext));
    }

    private static bool IsShouted(MatchCollection words) =>
        words.Count >= 3 && words.All(w => w.Length < 2 || w.Value.All(c => !char.IsLower(c)));

    [GeneratedRegex(@"[A-Za-z\u00C0-\u024F][A-Za-z0-9\u00C0-\u024F]*")]
    private static partial Regex Word();

    [GeneratedRegex(@"「(?<t>[^」]+)」|『(?<t>[^』]+)』|【(?<t>[^】]+)】|《(?<t>[^》]+)》|“(?<t>[^”]+)”")]
    private static partial Regex Quoted();

    // A segment after at least one other (/var/log/nginx, /etc/nginx/): "a/b" in prose and URLs' single segments are not paths.
    [GeneratedRegex(@"(?<=/[a-z0-9._-]+/)(?<w>[a-z][a-z0-9]{2,})(?=[/\s,;:)]|$)")]
    private static partial Regex PathWord();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]{1,29}$")]
    private static partial Regex LatinTerm();
}
