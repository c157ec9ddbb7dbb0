using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;

namespace Platform.Workers.Ingest.Parsing;

/// <summary>Markdown: headings build the heading path; paragraphs, lists, code and pipe tables become sections. One page.</summary>
public static class MarkdownParser
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().Build();

    public static ParsedDocument Parse(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        var headings = new List<(int Level, string Text)>();
        var sections = new List<Section>();
        foreach (var block in document)
        {
            var source = markdown.Substring(block.Span.Start, Math.Min(block.Span.Length, markdown.Length - block.Span.Start));
            switch (block)
            {
                case HeadingBlock heading:
                    var title = PlainText(source.TrimStart('#', ' ').TrimEnd('#', ' ', '\n', '\r'));
                    headings.RemoveAll(h => h.Level >= heading.Level);
                    headings.Add((heading.Level, title));
                    break;
                case Table table:
                    sections.Add(new Section(1, Path(headings), SectionKind.Table, TableText(table, markdown)));
                    break;
                case CodeBlock:
                    sections.Add(new Section(1, Path(headings), SectionKind.Code, StripFence(source)));
                    break;
                case ListBlock:
                    sections.Add(new Section(1, Path(headings), SectionKind.List, PlainText(source)));
                    break;
                default:
                    var text = PlainText(source);
                    if (text.Length > 0)
                    {
                        sections.Add(new Section(1, Path(headings), SectionKind.Paragraph, text));
                    }
                    break;
            }
        }
        return new ParsedDocument(sections, 1);
    }

    private static string Path(List<(int Level, string Text)> headings) => string.Join(" > ", headings.Select(h => h.Text));

    private static string PlainText(string markdown) => Markdown.ToPlainText(markdown, Pipeline).Trim();

    private static string StripFence(string source)
    {
        var lines = source.Replace("\r\n", "\n").Split('\n').ToList();
        if (lines.Count > 0 && (lines[0].StartsWith("```") || lines[0].StartsWith("~~~")))
        {
            lines.RemoveAt(0);
            if (lines.Count > 0 && (lines[^1].StartsWith("```") || lines[^1].StartsWith("~~~")))
            {
                lines.RemoveAt(lines.Count - 1);
            }
        }
        return string.Join('\n', lines).Trim();
    }

    private static string TableText(Table table, string markdown)
    {
        var rows = new List<string>();
        foreach (var row in table.OfType<TableRow>())
        {
            var cells = row.OfType<TableCell>()
                .Select(c => PlainText(markdown.Substring(c.Span.Start, c.Span.Length)).Replace('\n', ' '));
            rows.Add(string.Join(" | ", cells));
        }
        return string.Join('\n', rows);
    }
}
