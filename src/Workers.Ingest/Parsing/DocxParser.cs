using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Platform.Workers.Ingest.Parsing;

/// <summary>
/// DOCX: heading styles (by style name or outline level) build the heading path; numbered/bulleted paragraphs become
/// list sections; tables become table sections, one row per line, first row as header. Word files carry no fixed
/// pages, so page numbers follow the page breaks Word recorded when it last laid the file out (lastRenderedPageBreak),
/// else the explicit page breaks.
/// </summary>
public static class DocxParser
{
    public static ParsedDocument Parse(ParseContext context)
    {
        using var document = WordprocessingDocument.Open(context.FilePath, false);
        var body = document.MainDocumentPart?.Document?.Body
                   ?? throw new InvalidDataException("the document has no body part");
        var headingLevels = HeadingLevels(document.MainDocumentPart!);
        var rendered = body.Descendants<LastRenderedPageBreak>().Any();

        var sections = new List<Section>();
        var headings = new List<(int Level, string Text)>();
        var list = new List<string>();
        var page = 1;
        var listPage = 1;

        void FlushList()
        {
            if (list.Count > 0)
            {
                sections.Add(new Section(listPage, HeadingPath(headings), SectionKind.List, string.Join('\n', list)));
                list.Clear();
            }
        }

        foreach (var element in Blocks(body))
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (element is Table table)
            {
                FlushList();
                var startPage = page;
                var rows = table.Elements<TableRow>()
                    .Select(r => string.Join(" | ", r.Elements<TableCell>().Select(c => Clean(CellText(c, ref page, rendered)))))
                    .Where(r => r.Replace("|", "").Trim().Length > 0)
                    .ToList();
                if (rows.Count > 0)
                {
                    sections.Add(new Section(startPage, HeadingPath(headings), SectionKind.Table, string.Join('\n', rows)));
                }
                continue;
            }
            if (element is not Paragraph paragraph)
            {
                continue;
            }
            if (paragraph.ParagraphProperties?.PageBreakBefore is { } before && (before.Val is null || before.Val.Value))
            {
                page++;
            }
            var start = page;
            var text = Clean(ParagraphText(paragraph, ref page, rendered));
            if (text.Length == 0)
            {
                continue;
            }
            var styleId = paragraph.ParagraphProperties?.ParagraphStyleId?.Val?.Value;
            var level = paragraph.ParagraphProperties?.OutlineLevel?.Val?.Value is { } outline && outline < 9
                ? outline + 2
                : styleId is not null && headingLevels.TryGetValue(styleId, out var styled) ? styled : 0;
            if (level > 0)
            {
                FlushList();
                headings.RemoveAll(h => h.Level >= level);
                headings.Add((level, text));
                continue;
            }
            if (paragraph.ParagraphProperties?.NumberingProperties is not null || (styleId?.StartsWith("List", StringComparison.OrdinalIgnoreCase) ?? false))
            {
                if (list.Count == 0)
                {
                    listPage = start;
                }
                list.Add("- " + text);
                continue;
            }
            FlushList();
            sections.Add(new Section(start, HeadingPath(headings), SectionKind.Paragraph, text));
        }
        FlushList();
        return new ParsedDocument(sections, page) { Format = "docx" };
    }

    /// <summary>Paragraphs and tables in reading order, including those inside content controls.</summary>
    private static IEnumerable<OpenXmlElement> Blocks(OpenXmlElement parent)
    {
        foreach (var child in parent.ChildElements)
        {
            if (child is Paragraph or Table)
            {
                yield return child;
            }
            else if (child is SdtBlock sdt && sdt.SdtContentBlock is { } content)
            {
                foreach (var inner in Blocks(content))
                {
                    yield return inner;
                }
            }
        }
    }

    private static string CellText(TableCell cell, ref int page, bool rendered)
    {
        var parts = new List<string>();
        foreach (var paragraph in cell.Descendants<Paragraph>())
        {
            parts.Add(ParagraphText(paragraph, ref page, rendered));
        }
        return string.Join(' ', parts);
    }

    private static string ParagraphText(Paragraph paragraph, ref int page, bool rendered)
    {
        var text = new StringBuilder();
        foreach (var element in paragraph.Descendants())
        {
            switch (element)
            {
                case Text t:
                    text.Append(t.Text);
                    break;
                case TabChar:
                    text.Append(' ');
                    break;
                case LastRenderedPageBreak when rendered:
                    page++;
                    break;
                case Break { Type: not null } b when b.Type.Value == BreakValues.Page:
                    if (!rendered)
                    {
                        page++;
                    }
                    break;
                case Break:
                case CarriageReturn:
                    text.Append('\n');
                    break;
            }
        }
        return text.ToString();
    }

    /// <summary>Style id → heading level, from the style's name ("heading 1", "Title") or its outline level.</summary>
    private static Dictionary<string, int> HeadingLevels(MainDocumentPart main)
    {
        var levels = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var style in main.StyleDefinitionsPart?.Styles?.Elements<Style>() ?? [])
        {
            var id = style.StyleId?.Value;
            var name = style.StyleName?.Val?.Value?.ToLowerInvariant() ?? "";
            if (id is null)
            {
                continue;
            }
            if (name == "title")
            {
                levels[id] = 1;
            }
            else if (name.StartsWith("heading ") && int.TryParse(name[8..], out var level) && level is >= 1 and <= 9)
            {
                levels[id] = level + 1;
            }
            else if (style.StyleParagraphProperties?.OutlineLevel?.Val?.Value is { } outline && outline < 9)
            {
                levels[id] = outline + 2;
            }
        }
        // Files written without a styles part still name their headings by the built-in ids.
        for (var i = 1; i <= 9; i++)
        {
            levels.TryAdd($"Heading{i}", i + 1);
        }
        levels.TryAdd("Title", 1);
        return levels;
    }

    private static string HeadingPath(List<(int Level, string Text)> headings) => string.Join(" > ", headings.Select(h => h.Text));

    internal static string Clean(string text) =>
        string.Join('\n', text.Replace("\r", "").Split('\n').Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))))
            .Trim();
}
