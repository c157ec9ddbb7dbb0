using System.Text.RegularExpressions;

namespace Platform.Workers.Ingest.Parsing;

/// <summary>
/// Recognises a table-of-contents page: most of its lines are entries joined to a page number by dot leaders
/// ("4.1 On what hardware … . . . . . 21"). Such pages match nearly every query and answer none (bench/quality: the Debian
/// FAQ's 8 contents pages made 85 chunks of leaders), so PDF pages like this are left out of the index.
/// </summary>
public static partial class TableOfContents
{
    private const int MinimumEntries = 5;

    public static bool IsContentsPage(string page)
    {
        var lines = page.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var entries = lines.Count(l => Leader().IsMatch(l));
        return entries >= MinimumEntries && entries * 5 >= lines.Count * 2; // at least 40 % of the lines
    }

    // Five or more leader dots, spaced (". . . .") or not ("....."), or middle dots ("·····").
    [GeneratedRegex(@"(\.\s?){5,}|(·\s?){5,}|(…\s?){3,}")]
    private static partial Regex Leader();
}
