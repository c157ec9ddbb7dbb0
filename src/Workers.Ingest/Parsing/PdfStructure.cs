using System.Text.RegularExpressions;

namespace Platform.Workers.Ingest.Parsing;

/// <summary>
/// Lays a PDF's headings (<see cref="PdfHeadings"/>) over pdftotext's text, page by page. A heading is found in its page's
/// text as whole lines spelling its title (only letters and digits compared, case ignored; a numbered title, "4.1 Where…", also without its
/// number): the text before it keeps the previous heading path, the heading's lines become the path (not text: the other
/// parsers do the same), and the text after it gets the new path. A heading whose title is not in its page's text takes
/// effect at the next heading found on that page, or at the page's end.
/// </summary>
public sealed partial class PdfStructure(IReadOnlyList<PdfHeading> headings)
{
    private readonly ILookup<int, PdfHeading> byPage = headings.ToLookup(h => h.Page);
    private readonly List<(int Level, string Title)> path = [];

    public string CurrentPath => string.Join(" > ", path.Select(h => h.Title));

    /// <summary>The page's paragraphs with their heading paths; call for every page in order (skipped ones with no text).</summary>
    public IReadOnlyList<Section> Page(int page, string text)
    {
        // Each line remembers its block, so the text between headings is joined back into the paragraphs pdftotext made.
        var lines = PdfParser.Blocks(text).SelectMany((block, b) => block.Select(line => (Block: b, Line: line))).ToList();
        var texts = lines.Select(l => l.Line).ToList();
        var sections = new List<Section>();
        var cursor = 0;
        void Emit(int until)
        {
            foreach (var block in lines.Skip(cursor).Take(until - cursor).GroupBy(l => l.Block))
            {
                sections.Add(new Section(page, CurrentPath, SectionKind.Paragraph, PdfParser.Join(block.Select(l => l.Line).ToList())));
            }
            cursor = until;
        }
        // A heading whose title is not found takes effect at the next heading found, or at the end of the page: the text
        // after it is left under the heading before it rather than the text of the heading before it put under it.
        var pending = new List<PdfHeading>();
        foreach (var heading in byPage[page])
        {
            pending.Add(heading);
            for (var i = cursor; i < lines.Count; i++)
            {
                if (TitleLines(texts, i, heading.Title) is { } count)
                {
                    // A section number set on a line of its own ("2.3", then the title) belongs to the heading.
                    Emit(i > cursor && SectionNumber().IsMatch(texts[i - 1]) ? i - 1 : i);
                    cursor = i + count;
                    Enter(pending);
                    break;
                }
            }
        }
        Emit(lines.Count);
        Enter(pending);
        return sections;
    }

    private void Enter(List<PdfHeading> headings)
    {
        foreach (var heading in headings)
        {
            path.RemoveAll(h => h.Level >= heading.Level);
            path.Add((heading.Level, heading.Title));
        }
        headings.Clear();
    }

    /// <summary>How many lines from <paramref name="start"/> spell the title exactly (letters and digits, case ignored), or null.</summary>
    public static int? TitleLines(IReadOnlyList<string> lines, int start, string title)
    {
        // Outlines often leave out the section number the text shows ("What is…" for "1.2 What is…"), or the other way round.
        var titles = new[] { Squeeze(title), Squeeze(WithoutNumber(title)) }.Distinct().Where(c => c.Length > 0).ToList();
        var firstLines = new[] { Squeeze(lines[start]), Squeeze(WithoutNumber(lines[start])) }.Distinct().ToList();
        foreach (var (candidate, first) in titles.SelectMany(t => firstLines.Select(f => (t, f))))
        {
            if (first.Length == 0)
            {
                continue;
            }
            var spelled = "";
            for (var i = start; i < lines.Count && spelled.Length < candidate.Length; i++)
            {
                spelled += i == start ? first : Squeeze(lines[i]);
                if (spelled == candidate)
                {
                    return i - start + 1;
                }
                if (!candidate.StartsWith(spelled, StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        return null;
    }

    [GeneratedRegex(@"^([0-9]+\.)*[0-9]+\.?$|^[A-Z]\.([0-9]+\.?)*$")]
    private static partial Regex SectionNumber();

    // Letters and digits only: outlines and page text differ in quotes (' and ’), dashes and line-end hyphens.
    private static string Squeeze(string text) => string.Concat(text.Where(char.IsLetterOrDigit)).ToLowerInvariant();

    private static string WithoutNumber(string title)
    {
        var i = 0;
        while (i < title.Length && (char.IsDigit(title[i]) || title[i] is '.' or ' '
            || char.IsAsciiLetterUpper(title[i]) && i + 1 < title.Length && title[i + 1] == '.'))
        {
            i++;
        }
        return i > 0 && i < title.Length ? title[i..] : title;
    }
}
