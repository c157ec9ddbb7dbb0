using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Outline;

namespace Platform.Workers.Ingest.Parsing;

/// <summary>A heading of a PDF: the page it starts on, its depth (0 = top) and its title.</summary>
public sealed record PdfHeading(int Page, int Level, string Title);

/// <summary>
/// A PDF's headings through PdfPig: from the document outline (bookmarks) when it has one, else from the type: lines set
/// larger than the body text, or wholly bold at body size, on their own line. pdftotext keeps reading the text (faster,
/// and the text layer everything else is measured on); this only says where the headings are. Any PdfPig failure means
/// "no headings": structure is a bonus and never fails a document.
/// </summary>
public static class PdfHeadings
{
    private const int MaxTitleChars = 120;

    public static IReadOnlyList<PdfHeading> Read(string path, CancellationToken ct)
    {
        try
        {
            using var document = PdfDocument.Open(path, new ParsingOptions { UseLenientParsing = true, SkipMissingFonts = true });
            var outline = FromOutline(document);
            return outline.Count > 0 ? outline : FromType(document, ct);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception)
        {
            return [];
        }
    }

    private static List<PdfHeading> FromOutline(PdfDocument document)
    {
        var headings = new List<PdfHeading>();
        if (!document.TryGetBookmarks(out var bookmarks, false))
        {
            return headings;
        }
        void Walk(BookmarkNode node, int level)
        {
            var title = Clean(node.Title);
            var isHeading = node is DocumentBookmarkNode { PageNumber: > 0 } && title.Length > 0;
            if (isHeading)
            {
                headings.Add(new PdfHeading(((DocumentBookmarkNode)node).PageNumber, level, title));
            }
            foreach (var child in node.Children)
            {
                Walk(child, isHeading ? level + 1 : level);
            }
        }
        foreach (var root in bookmarks.Roots)
        {
            Walk(root, 0);
        }
        // Outline order is reading order in practice; a stable sort by page mends the odd entry placed out of order.
        return headings.Select((h, i) => (h, i)).OrderBy(x => x.h.Page).ThenBy(x => x.i).Select(x => x.h).ToList();
    }

    private sealed record Line(int Page, string Text, double Size, bool Bold);

    private static List<PdfHeading> FromType(PdfDocument document, CancellationToken ct)
    {
        var lines = new List<Line>();
        foreach (var page in document.GetPages())
        {
            ct.ThrowIfCancellationRequested();
            lines.AddRange(Lines(page));
        }
        var sizes = lines.GroupBy(l => Math.Round(l.Size * 2) / 2).Select(g => (Size: g.Key, Chars: g.Sum(l => l.Text.Length))).ToList();
        if (sizes.Count == 0)
        {
            return [];
        }
        var body = sizes.MaxBy(s => s.Chars).Size;
        var larger = body + Math.Max(1, body * 0.15);
        bool Plausible(Line l) => l.Text.Length is >= 2 and <= MaxTitleChars && l.Text.Any(char.IsLetter) && !l.Text.EndsWith('.');
        var candidates = lines.Where(l => Plausible(l) && (l.Size >= larger || l.Bold && Math.Abs(l.Size - body) < 0.5)).ToHashSet();
        // Slides, forms and posters are mostly "headings" by this measure: then the type says nothing about structure.
        if (candidates.Count == 0 || candidates.Count * 4 > lines.Count)
        {
            return [];
        }
        var levels = candidates.Where(l => l.Size >= larger).Select(l => Math.Round(l.Size * 2) / 2).Distinct()
            .OrderDescending().Select((size, i) => (size, i)).ToDictionary(x => x.size, x => x.i);
        var headings = new List<PdfHeading>();
        Line? previous = null;
        foreach (var line in lines)
        {
            var isHeading = candidates.Contains(line);
            var level = line.Size >= larger ? levels[Math.Round(line.Size * 2) / 2] : levels.Count;
            // A title wrapped onto two lines is one heading.
            if (isHeading && previous is not null && candidates.Contains(previous) && previous.Page == line.Page
                && Math.Abs(previous.Size - line.Size) < 0.5 && headings.Count > 0 && headings[^1].Title.Length + line.Text.Length < MaxTitleChars)
            {
                headings[^1] = headings[^1] with { Title = headings[^1].Title + " " + line.Text };
            }
            else if (isHeading)
            {
                headings.Add(new PdfHeading(line.Page, level, line.Text));
            }
            previous = line;
        }
        return headings;
    }

    /// <summary>The page's words grouped into lines by baseline, each with its mean letter size and whether all of it is bold.</summary>
    private static IEnumerable<Line> Lines(Page page)
    {
        var words = page.GetWords().Where(w => w.Letters.Count > 0 && w.Text.Trim().Length > 0).ToList();
        var current = new List<Word>();
        foreach (var word in words)
        {
            if (current.Count > 0 && Math.Abs(current[^1].Letters[0].StartBaseLine.Y - word.Letters[0].StartBaseLine.Y)
                > Math.Max(1, word.Letters[0].PointSize * 0.3))
            {
                yield return ToLine(page.Number, current);
                current = [];
            }
            current.Add(word);
        }
        if (current.Count > 0)
        {
            yield return ToLine(page.Number, current);
        }
    }

    private static Line ToLine(int page, List<Word> words)
    {
        var letters = words.SelectMany(w => w.Letters).Where(l => !string.IsNullOrWhiteSpace(l.Value)).ToList();
        var bold = letters.All(l => l.FontDetails?.IsBold == true || (l.FontName?.Contains("Bold", StringComparison.OrdinalIgnoreCase) ?? false));
        return new Line(page, Clean(string.Join(' ', words.Select(w => w.Text))), letters.Average(l => l.PointSize), bold);
    }

    private static string Clean(string? title) =>
        CjkText.RemoveSpacesBetweenCjk(string.Join(' ', (title ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
}
