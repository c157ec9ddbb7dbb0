namespace Platform.Workers.Ingest.Parsing;

/// <summary>Plain text: paragraphs are separated by blank lines; a form feed starts a new page.</summary>
public static class PlainTextParser
{
    public static ParsedDocument Parse(string text)
    {
        var sections = new List<Section>();
        var pages = text.Replace("\r\n", "\n").Split('\f');
        for (var p = 0; p < pages.Length; p++)
        {
            foreach (var paragraph in pages[p].Split("\n\n"))
            {
                var trimmed = paragraph.Trim();
                if (trimmed.Length > 0)
                {
                    sections.Add(new Section(p + 1, "", SectionKind.Paragraph, trimmed));
                }
            }
        }
        return new ParsedDocument(sections, pages.Length);
    }
}
