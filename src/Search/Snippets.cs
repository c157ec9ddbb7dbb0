namespace Platform.Search;

public static class Snippets
{
    public const int Length = 240;

    /// <summary>A window of the text around the first query token it contains, cut at word boundaries where it can.</summary>
    public static string Around(string text, IReadOnlyList<string> tokens)
    {
        if (text.Length <= Length)
        {
            return text;
        }
        var hit = tokens.Select(t => text.IndexOf(t, StringComparison.OrdinalIgnoreCase)).Where(i => i >= 0).DefaultIfEmpty(0).Min();
        var start = Math.Max(0, hit - Length / 3);
        while (start > 0 && start > hit - Length / 2 && !char.IsWhiteSpace(text[start - 1]))
        {
            start--;
        }
        var end = Math.Min(text.Length, start + Length);
        return (start > 0 ? "…" : "") + text[start..end].Trim() + (end < text.Length ? "…" : "");
    }
}
