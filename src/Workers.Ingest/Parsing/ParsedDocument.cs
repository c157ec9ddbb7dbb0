namespace Platform.Workers.Ingest.Parsing;

public enum SectionKind
{
    Paragraph,
    Heading,
    List,
    Table,
    Code,
}

/// <summary>A run of text from one page, under one heading path. A table's text is one row per line, header first.</summary>
public sealed record Section(int Page, string HeadingPath, SectionKind Kind, string Text);

public sealed record ParsedDocument(IReadOnlyList<Section> Sections, int PageCount);
