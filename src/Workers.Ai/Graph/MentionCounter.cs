using Platform.Search.Graph;

namespace Platform.Workers.Ai.Graph;

/// <summary>
/// Finds the known names in a sentence in any case, longest first ("Debian Policy Manual" is not also a mention of Debian), and
/// keeps each name's total over the document. Latin names match whole words; Chinese names match as substrings (no word breaks).
/// </summary>
public sealed class MentionCounter
{
    private readonly HashSet<string> _latin;
    private readonly List<string> _han;
    private readonly Dictionary<string, int> _totals = [];

    public MentionCounter(IEnumerable<string> keys)
    {
        var all = keys.ToList();
        _han = all.Where(k => k.Any(NameCandidates.IsHan)).ToList();
        _latin = all.Except(_han).ToHashSet();
    }

    public int Total(string key) => _totals.GetValueOrDefault(key);

    /// <summary>The names this sentence mentions, in order, one entry per mention.</summary>
    public List<string> Count(string sentence)
    {
        var found = new List<string>();
        var words = NameCandidates.Words(sentence);
        for (var i = 0; i < words.Count;)
        {
            var matched = 0;
            for (var n = Math.Min(NameCandidates.MaxWords, words.Count - i); n >= 1 && matched == 0; n--)
            {
                var key = Adjacent(sentence, words, i, n) ? GraphEntity.KeyOf(string.Join(' ', Enumerable.Range(i, n).Select(j => words[j].Value))) : "";
                if (_latin.Contains(key))
                {
                    found.Add(key);
                    matched = n;
                }
            }
            i += Math.Max(matched, 1);
        }
        foreach (var key in _han)
        {
            for (var at = sentence.IndexOf(key, StringComparison.OrdinalIgnoreCase); at >= 0;
                 at = sentence.IndexOf(key, at + key.Length, StringComparison.OrdinalIgnoreCase))
            {
                found.Add(key);
            }
        }
        foreach (var key in found)
        {
            _totals[key] = Total(key) + 1;
        }
        return found;
    }

    private static bool Adjacent(string sentence, System.Text.RegularExpressions.MatchCollection words, int first, int count)
    {
        for (var j = first + 1; j < first + count; j++)
        {
            if (words[j].Index != words[j - 1].Index + words[j - 1].Length + 1 || sentence[words[j].Index - 1] != ' ')
            {
                return false;
            }
        }
        return true;
    }
}
