using System.Text;
using AngleSharp.Dom;

namespace Platform.Workers.Ingest.Parsing;

/// <summary>
/// HTML through AngleSharp: text only. Script, style, navigation and other non-content elements are dropped;
/// h1–h6 build the heading path; p/blockquote are paragraphs, ul/ol lists, pre code, table tables (header first).
/// </summary>
public static class HtmlParser
{
    private static readonly HashSet<string> Skipped =
        ["SCRIPT", "STYLE", "NAV", "NOSCRIPT", "TEMPLATE", "SVG", "IFRAME", "OBJECT", "CANVAS", "HEAD", "FORM", "BUTTON", "SELECT"];

    private static readonly HashSet<string> Blocks =
        ["P", "BLOCKQUOTE", "DD", "DT", "FIGCAPTION", "CAPTION", "ADDRESS", "SUMMARY", "LI"];

    public static ParsedDocument Parse(string html)
    {
        var parser = new AngleSharp.Html.Parser.HtmlParser();
        using var document = parser.ParseDocument(html);
        var sections = new List<Section>();
        var headings = new List<(int Level, string Text)>();
        var loose = new StringBuilder();
        var title = Normalize(document.Title ?? "");

        string Path() => string.Join(" > ", headings.Select(h => h.Text));

        void FlushLoose()
        {
            var text = Normalize(loose.ToString());
            loose.Clear();
            if (text.Length > 0)
            {
                sections.Add(new Section(1, Path(), SectionKind.Paragraph, text));
            }
        }

        void Walk(INode node)
        {
            foreach (var child in node.ChildNodes)
            {
                if (child is IText text)
                {
                    loose.Append(Flatten(text.Data));
                    continue;
                }
                if (child is not IElement element || Skipped.Contains(element.TagName) || element.HasAttribute("hidden")
                    || element.GetAttribute("aria-hidden") == "true" || element.GetAttribute("role") == "navigation")
                {
                    continue;
                }
                var tag = element.TagName;
                if (tag is "BR")
                {
                    loose.Append('\n');
                }
                else if (tag.Length == 2 && tag[0] == 'H' && tag[1] is >= '1' and <= '6')
                {
                    FlushLoose();
                    var level = tag[1] - '0';
                    var heading = Normalize(Text(element));
                    if (heading.Length > 0)
                    {
                        headings.RemoveAll(h => h.Level >= level);
                        headings.Add((level, heading));
                    }
                }
                else if (tag is "TABLE")
                {
                    FlushLoose();
                    var rows = element.QuerySelectorAll("tr")
                        .Where(r => r.Closest("table") == element)
                        .Select(r => string.Join(" | ", r.Children.Where(c => c.TagName is "TD" or "TH").Select(c => Normalize(Text(c)).Replace('\n', ' '))))
                        .Where(r => r.Replace("|", "").Trim().Length > 0)
                        .ToList();
                    if (rows.Count > 0)
                    {
                        sections.Add(new Section(1, Path(), SectionKind.Table, string.Join('\n', rows)));
                    }
                }
                else if (tag is "UL" or "OL")
                {
                    FlushLoose();
                    var items = element.Children.Where(c => c.TagName == "LI").Select(li => Normalize(Text(li)).Replace('\n', ' '))
                        .Where(t => t.Length > 0).Select(t => "- " + t).ToList();
                    if (items.Count > 0)
                    {
                        sections.Add(new Section(1, Path(), SectionKind.List, string.Join('\n', items)));
                    }
                }
                else if (tag is "PRE")
                {
                    FlushLoose();
                    var code = Text(element, preserve: true).Trim('\n', '\r');
                    if (code.Trim().Length > 0)
                    {
                        sections.Add(new Section(1, Path(), SectionKind.Code, code));
                    }
                }
                else if (Blocks.Contains(tag))
                {
                    FlushLoose();
                    var paragraph = Normalize(Text(element));
                    if (paragraph.Length > 0)
                    {
                        sections.Add(new Section(1, Path(), SectionKind.Paragraph, paragraph));
                    }
                }
                else if (IsInline(tag))
                {
                    loose.Append(Text(element));
                }
                else
                {
                    FlushLoose(); // div, section, article, main...: a block boundary
                    Walk(element);
                    FlushLoose();
                }
            }
        }

        if (document.Body is { } body)
        {
            if (title.Length > 0 && !body.QuerySelectorAll("h1").Any())
            {
                headings.Add((0, title));
            }
            Walk(body);
            FlushLoose();
        }
        return new ParsedDocument(sections, 1) { Format = "html" };
    }

    private static bool IsInline(string tag) => tag is "A" or "SPAN" or "B" or "STRONG" or "I" or "EM" or "U" or "CODE" or "SMALL" or "SUB" or "SUP"
        or "MARK" or "ABBR" or "CITE" or "Q" or "TIME" or "LABEL" or "S" or "DEL" or "INS" or "KBD" or "VAR" or "SAMP" or "FONT" or "IMG";

    /// <summary>Text content without skipped elements (a script inside a paragraph stays out).</summary>
    private static string Text(IElement element, bool preserve = false)
    {
        var text = new StringBuilder();
        void Collect(INode node)
        {
            foreach (var child in node.ChildNodes)
            {
                if (child is IText t)
                {
                    text.Append(preserve ? t.Data : Flatten(t.Data));
                }
                else if (child is IElement e && !Skipped.Contains(e.TagName))
                {
                    if (e.TagName == "BR")
                    {
                        text.Append('\n');
                    }
                    else
                    {
                        var block = !IsInline(e.TagName);
                        if (block)
                        {
                            text.Append(' ');
                        }
                        Collect(e);
                        if (block)
                        {
                            text.Append(' ');
                        }
                    }
                }
            }
        }
        Collect(element);
        return text.ToString();
    }

    /// <summary>Source line breaks are white space in HTML; only br breaks a line.</summary>
    private static string Flatten(string data) => data.Replace('\r', ' ').Replace('\n', ' ');

    /// <summary>Collapses runs of white space inside lines (HTML rendering does the same) and trims; keeps line breaks from br.</summary>
    private static string Normalize(string text) =>
        string.Join('\n', text.Replace("\r", "").Replace('\u00A0', ' ').Split('\n')
            .Select(l => string.Join(' ', l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)))
            .Where(l => l.Length > 0));
}
