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
        // pdftotext often sets the page numbers apart as a column of bare numbers ("41", "42"): those lines are neither
        // entries nor prose, so they do not count (the Debian FAQ's page 5 was indexed because of them).
        var lines = page.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.All(c => char.IsAsciiDigit(c) || c is 'i' or 'v' or 'x'))
            .ToList();
        var entries = lines.Count(l => Leader().IsMatch(l));
        return entries >= MinimumEntries && entries * 5 >= lines.Count * 2; // at least 40 % of the lines
    }

    // Five or more leader dots, spaced (". . . .") or not ("....."), or middle dots ("·····").
    [GeneratedRegex(@"(\.\s?){5,}|(·\s?){5,}|(…\s?){3,}")]
    private static partial Regex Leader();
}
