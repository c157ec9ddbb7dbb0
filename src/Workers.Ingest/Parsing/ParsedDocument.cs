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

/// <param name="OcrPages">Pages (1-based) whose text came from OCR because they had no text layer.</param>
public sealed record ParsedDocument(IReadOnlyList<Section> Sections, int PageCount)
{
    public string Format { get; init; } = "";

    public IReadOnlyList<int> OcrPages { get; init; } = [];

    /// <summary>Share (0–1) of the text's characters that were mojibake and were repaired (<see cref="Mojibake"/>); 0 for none.</summary>
    public double TextRepaired { get; init; }
}

/// <summary>What a format parser gets: the spooled file, the limits, a progress sink (pages done, total) and the token.</summary>
public sealed record ParseContext(string FilePath, string FileName, IngestOptions Options, Func<int, int, Task> Progress,
    CancellationToken CancellationToken);
