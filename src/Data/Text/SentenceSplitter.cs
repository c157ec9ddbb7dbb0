namespace Platform.Data;

/// <summary>
/// Splits text into sentence spans. English ends a sentence at . ! ? followed by white space; Chinese at 。！？；
/// (and a closing quote after them) with no space needed. Line breaks end a unit too. Spans longer than the
/// limit are cut at the last white space before it, else at a character boundary (never inside a surrogate pair).
/// </summary>
public static class SentenceSplitter
{
    private const string CjkTerminators = "。！？；";
    private const string ClosingQuotes = "”’」』）)\"'";

    public static List<(int Start, int End)> Split(string text, int maxLength)
    {
        var spans = new List<(int, int)>();
        var start = SkipSpace(text, 0);
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            var end = -1;
            if (CjkTerminators.Contains(c))
            {
                end = i + 1;
                while (end < text.Length && ClosingQuotes.Contains(text[end]))
                {
                    end++;
                }
            }
            else if (c is '.' or '!' or '?' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1]) || ClosingQuotes.Contains(text[i + 1])))
            {
                end = i + 1;
                while (end < text.Length && ClosingQuotes.Contains(text[end]))
                {
                    end++;
                }
            }
            else if (c == '\n')
            {
                end = i;
            }
            if (end < 0)
            {
                continue;
            }
            AddSpan(text, start, end, maxLength, spans);
            start = SkipSpace(text, Math.Max(end, i + 1));
            i = start - 1;
        }
        AddSpan(text, start, text.Length, maxLength, spans);
        return spans;
    }

    private static void AddSpan(string text, int start, int end, int maxLength, List<(int, int)> spans)
    {
        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }
        while (end - start > maxLength)
        {
            var cut = start + maxLength;
            var space = text.LastIndexOf(' ', cut - 1, cut - start);
            if (space > start + maxLength / 2)
            {
                cut = space;
            }
            else if (char.IsLowSurrogate(text[cut]))
            {
                cut--;
            }
            spans.Add((start, cut));
            start = SkipSpace(text, cut);
        }
        if (end > start)
        {
            spans.Add((start, end));
        }
    }

    private static int SkipSpace(string text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }
        return i;
    }
}
